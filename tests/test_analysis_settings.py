"""One typed object for what shapes an analysis, and its cache key: the app's analysis with its default
settings and a session's analysis of the same video are one cache entry; anything that changes the result
changes the key."""

from dataclasses import replace

from stsp_app.analysis_settings import AnalysisSettings
from stsp_app.core import trunk_joints
from stsp_app.records.session_workflow import analysis_settings

VIDEO = "a" * 64


def test_a_session_and_the_apps_default_analysis_share_a_key():
    app_default = AnalysisSettings(stature_mm=1520.0)
    assert analysis_settings(1520.0).cache_key(VIDEO) == app_default.cache_key(VIDEO)


def test_whatever_changes_the_result_changes_the_key():
    base = AnalysisSettings()
    key = base.cache_key(VIDEO)
    variants = [replace(base, model="lite"), replace(base, smoothing=2.0), replace(base, small_people=True),
                replace(base, stature_mm=1300.0), replace(base, stretch=(10, 200)), replace(base, capture_fps=240.0)]
    keys = {variant.cache_key(VIDEO) for variant in variants}
    assert len(keys) == len(variants) and key not in keys
    assert base.cache_key(VIDEO, person_at=(12, (10.0, 20.0, 110.0, 300.0))) != key
    assert base.cache_key("b" * 64) != key and base.cache_key(VIDEO) == key


def test_another_placement_of_the_trunk_joints_changes_the_key(monkeypatch):
    """An analysis cached before the 2D stage placed its pelvis, spine and thorax anew is made again."""
    key = AnalysisSettings().cache_key(VIDEO)
    monkeypatch.setitem(trunk_joints.TRUNK_FRACTIONS, "pelvis_above_hips", 0.0)
    assert AnalysisSettings().cache_key(VIDEO) != key


def test_another_way_of_levelling_the_picture_changes_the_key(monkeypatch):
    """An analysis cached before the phone's turn was read (or read another way) is made again."""
    from stsp_app import analysis_settings as module

    key = AnalysisSettings().cache_key(VIDEO)
    monkeypatch.setattr(module, "LEVELLING_METHOD", "another")
    assert AnalysisSettings().cache_key(VIDEO) != key


def test_another_left_right_repair_changes_the_key(monkeypatch):
    """An analysis cached before left and right were kept apart the present way is made again."""
    from stsp_app import analysis_settings as module

    key = AnalysisSettings().cache_key(VIDEO)
    monkeypatch.setattr(module, "LIMB_SIDES_METHOD", "another")
    assert AnalysisSettings().cache_key(VIDEO) != key


def test_the_2d_stage_gets_the_settings():
    config = AnalysisSettings(model="heavy", smoothing=0.5, small_people=True).epe_config("cpu", (3, (0, 0, 9, 9)))
    assert (config.model, config.smoothing, config.detection_tiles, config.device) == ("heavy", 0.5, True, "cpu")
    assert config.person_at == (3, (0, 0, 9, 9))
