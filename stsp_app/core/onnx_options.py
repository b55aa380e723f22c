"""The ONNX Runtime session options every model of the app runs with (BlazePose's and the lifting models)."""

from __future__ import annotations


def onnx_session_options(threads: int):
    """Options for a session that runs one model at a time on ``threads`` intra-op threads.

    ONNX Runtime's workers spin after each operator, waiting for the next. Between two model runs that spin
    takes a core from the calling thread's own work (video decoding, optical flow, decoding the outputs), and
    on 2 cores the EPE stage ran slower on 2 threads than on 1; without spinning it went from 16.5 to 11.1 ms a
    frame on 2 threads (docs/PERFORMANCE.md, "Speed against MediaPipe's own Pose").
    """
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = max(1, int(threads))
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return options
