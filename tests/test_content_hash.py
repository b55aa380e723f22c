"""The one content hash: sha256 of a file's bytes, and of an image folder's images."""

import hashlib
import shutil

import pytest

from stsp_app.core.content_hash import file_sha256, files_sha256
from stsp_app.core.video_source import VideoSource
from stsp_app.errors import InputError
from tests.conftest import BASKETBALL_CLIP, VIDEO_DIR


def test_hash_is_the_sha256_of_the_bytes_and_ignores_the_name(tmp_path):
    copy = tmp_path / "renamed.mp4"
    shutil.copy(BASKETBALL_CLIP, copy)
    assert file_sha256(copy) == file_sha256(BASKETBALL_CLIP) == hashlib.sha256(BASKETBALL_CLIP.read_bytes()).hexdigest()
    assert VideoSource(copy).content_sha256() == file_sha256(copy)
    with pytest.raises(InputError):
        file_sha256(tmp_path / "missing.mp4")


def test_an_image_folder_is_known_by_its_images_in_order(tmp_path):
    folder = VIDEO_DIR / "posetrack_soccer"
    images = sorted(path for path in folder.iterdir() if path.suffix == ".jpg")
    assert VideoSource(folder).content_sha256() == files_sha256(images) != files_sha256(images[::-1])
    copy = tmp_path / "copy"
    shutil.copytree(folder, copy)
    assert VideoSource(copy).content_sha256() == VideoSource(folder).content_sha256()
