"""MediaPipe's own Pose solution timed on a video: the peer ``stsp-coach bench --mediapipe-python PYTHON`` measures
beside our pipeline. Run as a script by the Python of a separate environment that has ``mediapipe==0.10.14``
(``bash packaging/run.sh bench`` makes one); it imports nothing of stsp_app and prints one JSON line:
``{"frames", "decode_ms", "total_ms", "found"}`` (per-frame milliseconds; total = decode + pose, as ours).

    python mediapipe_pose_runner.py VIDEO MODEL_COMPLEXITY MAX_FRAMES
"""

import json
import sys
import time

import cv2
import mediapipe as mp

WARM_UP_FRAMES = 5


def main(video_path: str, model_complexity: int, max_frames: int) -> dict:
    capture = cv2.VideoCapture(video_path)
    frames = []
    clock = time.perf_counter()
    while len(frames) < max_frames:
        ok, frame = capture.read()
        if not ok:
            break
        frames.append(cv2.cvtColor(frame, cv2.COLOR_BGR2RGB))
    decode_ms = (time.perf_counter() - clock) * 1000 / max(len(frames), 1)
    options = dict(static_image_mode=False, model_complexity=model_complexity, smooth_landmarks=True,
                   enable_segmentation=False, min_detection_confidence=0.5, min_tracking_confidence=0.5)
    with mp.solutions.pose.Pose(**options) as pose:  # warm-up on its own instance: the timed one starts fresh
        for frame in frames[:WARM_UP_FRAMES]:
            pose.process(frame)
    found = 0
    with mp.solutions.pose.Pose(**options) as pose:
        clock = time.perf_counter()
        for frame in frames:
            found += pose.process(frame).pose_landmarks is not None
        pose_ms = (time.perf_counter() - clock) * 1000 / max(len(frames), 1)
    return {"frames": len(frames), "decode_ms": decode_ms, "total_ms": decode_ms + pose_ms, "found": found,
            "version": mp.__version__}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))))
