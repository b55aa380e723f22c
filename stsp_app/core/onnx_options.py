"""The ONNX Runtime session options every model of the app runs with (BlazePose's and the lifting models)."""

from __future__ import annotations

SPIN_US = 10  # how long an idle worker spins for the next operator before it sleeps (measured: see below)


def onnx_session_options(threads: int):
    """Options for a session that runs one model at a time on ``threads`` intra-op threads.

    ONNX Runtime's workers spin after each operator, waiting for the next. Inside a model run a short spin
    hands the next operator out fast; a long one, or one that goes on after the run, takes a core from the
    calling thread's own work (video decoding, optical flow, decoding the outputs) or from another program. So
    the workers spin for at most SPIN_US microseconds and stop when the run returns. EPE stage on 2 threads, 2
    cores, medians (docs/PERFORMANCE.md, "Speed against MediaPipe's own Pose"): idle 12.7 ms a frame with
    ONNX Runtime's default spinning, 10.6 ms with none, 9.7 ms so; with another program busy on one core 15.9
    ms with none, 16.5 ms so, 25.3 ms spinning for the whole run. With one thread there are no workers.
    """
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = max(1, int(threads))
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.add_session_config_entry("session.intra_op.allow_spinning", "1")
    options.add_session_config_entry("session.intra_op.spin_duration_us", str(SPIN_US))
    options.add_session_config_entry("session.force_spinning_stop", "1")
    return options
