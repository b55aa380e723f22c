"""Qt-free building blocks shared by every stage: skeleton definition, video input, file formats, paths."""
