"""The one set of ONNX Runtime session options: the threads asked for, and workers that do not spin."""

from stsp_app.core.onnx_options import onnx_session_options


def test_options_give_the_threads_and_turn_spinning_off():
    options = onnx_session_options(2)
    assert options.intra_op_num_threads == 2 and options.inter_op_num_threads == 1
    assert options.get_session_config_entry("session.intra_op.allow_spinning") == "0"
    assert onnx_session_options(0).intra_op_num_threads == 1
