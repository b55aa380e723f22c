"""The one set of ONNX Runtime session options: the threads asked for, and workers that stop spinning when a
run returns (a spinning worker takes a core from the video decoding, the flow and other programs)."""

import time
from pathlib import Path

import numpy as np

from stsp_app.core.onnx_options import onnx_session_options

GSR_MODEL = Path(__file__).resolve().parents[1] / "models" / "lifting_gsr.onnx"


def test_options_give_the_threads_and_bound_spinning():
    options = onnx_session_options(2)
    assert options.intra_op_num_threads == 2 and options.inter_op_num_threads == 1
    assert options.get_session_config_entry("session.force_spinning_stop") == "1"
    assert int(options.get_session_config_entry("session.intra_op.spin_duration_us")) <= 100
    assert onnx_session_options(0).intra_op_num_threads == 1


def test_no_core_stays_busy_after_a_run():
    """With ONNX Runtime's default spinning a 2-thread session keeps about one core busy for a while after each
    run; with these options the process is idle as soon as the run returns."""
    import onnxruntime as ort

    session = ort.InferenceSession(str(GSR_MODEL), onnx_session_options(2), providers=["CPUExecutionProvider"])
    feeds = {i.name: np.zeros([d if isinstance(d, int) else 64 for d in i.shape], np.float32)
             for i in session.get_inputs()}
    busy = []
    for _ in range(20):
        session.run(None, feeds)
        cpu, wall = time.process_time(), time.perf_counter()
        time.sleep(0.005)
        busy.append((time.process_time() - cpu) / (time.perf_counter() - wall))
    assert np.median(busy) < 0.3  # cores busy while the caller sleeps
