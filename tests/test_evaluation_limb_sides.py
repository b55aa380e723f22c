"""The left/right swap measure against hand-placed ankles, on a real clip: the sprint clip's swaps are counted
and the repair removes them."""

import copy

from stsp_app.evaluation.limb_side_validation import labelled_ankles, swapped_frames
from stsp_app.pipeline import repair_swapped_limbs


def test_the_repair_leaves_fewer_swapped_ankles_on_the_sprint_clip(analysed_clip):
    repaired = analysed_clip("sprint_start_b1.mp4")  # analysed as analyze does: repaired already
    labels = labelled_ankles("sprint_start_b1.mp4")
    after, counted = swapped_frames(repaired, labels)
    assert counted >= 50
    # swapping the labelled left and right ankles turns every kept frame into a swapped one
    mirrored = {frame: (right, left) for frame, (left, right) in labels.items()}
    assert len(swapped_frames(repaired, mirrored)[0]) == counted - len(after)
    assert len(after) <= 0.15 * counted
    again = copy.deepcopy(repaired)
    repair_swapped_limbs(again)  # a second pass changes nothing
    assert swapped_frames(again, labels)[0] == after
