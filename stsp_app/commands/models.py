"""``stsp-coach models``: fetch, verify and convert the BlazePose weights (``fetch``) or show their state (``list``)."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("models", help="fetch or list the BlazePose model files")
    actions = parser.add_subparsers(dest="models_action", metavar="ACTION", required=True)
    fetch = actions.add_parser(
        "fetch",
        help="download BlazePose from its registry packages, check sha256, convert to ONNX (idempotent)",
    )
    fetch.add_argument(
        "names",
        nargs="*",
        metavar="MODEL",
        help="detector, lite, full, heavy (default: all; lite and heavy need npm)",
    )
    fetch.set_defaults(handler=run_fetch)
    listing = actions.add_parser("list", help="show which model files are present, verified and converted")
    listing.set_defaults(handler=run_list)


def run_fetch(args: argparse.Namespace) -> int:
    from stsp_app.blazepose.fetch import ALL_MODELS, blazepose_cache_dir, fetch_models

    report = fetch_models(tuple(args.names) or ALL_MODELS)
    for name, path in report.ready.items():
        print(f"{name:9s} ready        {path}")
    for name, reason in report.unavailable.items():
        print(f"{name:9s} unavailable  {reason}")
    done = report.downloaded_packages or report.converted
    print(
        f"models in {blazepose_cache_dir()}: "
        + (f"downloaded {report.downloaded_packages}, converted {report.converted}" if done else "all up to date")
    )
    return 0


def run_list(args: argparse.Namespace) -> int:
    import shutil

    from stsp_app.blazepose.fetch import blazepose_cache_dir, load_manifest, model_state, onnx_path

    manifest = load_manifest()
    print(f"BlazePose models in {blazepose_cache_dir()}:")
    for name, entry in manifest.models.items():
        state = model_state(entry)
        package = manifest.packages[entry.package]
        source = package.get("requirement") or package.get("spec")
        where = onnx_path(entry) if state == "ready" else source
        if state == "missing" and package["registry"] == "npm" and shutil.which("npm") is None:
            state, where = "unavailable", f"npm is not installed (needed for {source})"
        print(f"  {name:9s} {state:12s} {where}")
    return 0
