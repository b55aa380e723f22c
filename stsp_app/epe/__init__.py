"""The EPE stage (paper Eq. 1-9): BlazePose backbone, person tracking, motion-aware enhancement, soft-argmax
decoding and the local trajectory constraint. Entry point: :class:`stsp_app.epe.stage.EPEStage`."""
