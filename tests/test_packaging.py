"""`pip install .` must carry the model and the templates inside the installed package, and
declare every distribution it imports (.ci/clean-install.sh proves it in a fresh venv)."""

from __future__ import annotations

import ast
import importlib
import re
import subprocess
import sys
import tomllib
import zipfile
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
# Dev/test tools: never imported by the package (a plain install does not have them).
DEV_ONLY = {"moto", "schemathesis", "hypothesis", "pytest", "mypy", "ruff"}
PUBLIC_MODULES = (
    "notifier",
    "notifier.config",
    "notifier.events.contracts",
    "notifier.messengers.base",
    "notifier.messengers.ledger",
    "notifier.messengers.mailsink",
    "notifier.messengers.memory",
    "notifier.messengers.mime",
    "notifier.messengers.pacing",
    "notifier.messengers.ses",
    "notifier.reporting.tables",
    "notifier.runtime.local_ses",
    "notifier.runtime.wiring",
)


def _dist_name(requirement: str) -> str:
    return re.split(r"[\s\[<>=!~;]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _third_party_imports() -> dict[str, set[str]]:
    """top-level module -> files of notifier/ importing it (lazy imports in functions too)."""
    found: dict[str, set[str]] = {}
    for path in (ROOT / "notifier").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            else:
                continue
            for module in modules:
                top = module.split(".")[0]
                if top != "notifier" and top not in sys.stdlib_module_names:
                    found.setdefault(top, set()).add(str(path.relative_to(ROOT)))
    return found


def test_every_runtime_import_is_a_declared_dependency() -> None:
    declared = {_dist_name(r) for r in PYPROJECT["project"]["dependencies"]}
    distributions = packages_distributions()
    missing = {}
    for module, files in _third_party_imports().items():
        assert module not in DEV_ONLY, f"{module} is a dev tool but notifier imports it: {files}"
        dists = {d.lower().replace("_", "-") for d in distributions.get(module, [module])}
        if not dists & declared:
            missing[module] = sorted(files)
    assert not missing, f"imported but not in [project.dependencies]: {missing}"


def test_dev_tools_are_only_in_the_dev_extra() -> None:
    runtime = {_dist_name(r) for r in PYPROJECT["project"]["dependencies"]}
    dev = {_dist_name(r) for r in PYPROJECT["project"]["optional-dependencies"]["dev"]}
    assert not runtime & DEV_ONLY
    assert {"moto", "schemathesis", "mypy", "pytest"} <= dev


def test_public_modules_declare_all_and_it_resolves() -> None:
    for name in PUBLIC_MODULES:
        module = importlib.import_module(name)
        exported = getattr(module, "__all__", None)
        assert exported, f"{name} has no __all__"
        assert len(set(exported)) == len(exported), name
        for attr in exported:
            assert hasattr(module, attr), f"{name}.__all__ names missing {attr}"


def test_ci_runs_the_clean_install_check_lint_and_types() -> None:
    dry = subprocess.run(
        ["make", "-n", "test"], cwd=ROOT, capture_output=True, text=True, check=True, timeout=60
    ).stdout
    assert ".ci/clean-install.sh" in dry
    assert "bin/mypy" in dry and "ruff check" in dry
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    bench = subprocess.run(
        ["make", "-n", "bench"], cwd=ROOT, capture_output=True, text=True, check=True, timeout=60
    ).stdout
    assert "bench/tracking.py" in bench
    assert (
        ".schemathesis"
        not in subprocess.run(
            ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout
    )


def test_dockerfile_installs_the_wheel_as_the_clean_install_check_does() -> None:
    text = (ROOT / "deploy" / "Dockerfile").read_text(encoding="utf-8")
    assert "pip wheel --no-deps" in text
    install = re.search(r'pip install "\$\{wheel\}\[(?P<extras>[^\]]*)\]"', text)
    assert install, "the image must install the built wheel"
    assert install.group("extras") == "rocksdb"  # never the dev extra (moto, test tools)
    assert "NOTIFIER_DEV_MODE" not in re.sub(r"#.*", "", text)  # the image is production-safe
    cmd = re.search(r"CMD \[(.*)\]", text)
    assert cmd and '"notifier.streams.worker"' in cmd.group(1)
    importlib.import_module("notifier.streams.worker")  # the module the image's worker runs


def test_license_file_is_the_apache_2_text() -> None:
    assert PYPROJECT["project"]["license"] == "Apache-2.0"
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "Apache License" in text and "Version 2.0, January 2004" in text
    assert "END OF TERMS AND CONDITIONS" in text


def test_wheel_ships_model_templates_and_demo_data(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        timeout=300,
    )
    (wheel,) = tmp_path.glob("pickup_notifier-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "notifier/templates/base.html" in names
    assert any(n.startswith("notifier/templates/i18n/hi.") for n in names)
    assert "notifier/address/model/meta.json" in names
    assert "notifier/demo/data/addresses.jsonl" in names
    assert "notifier/py.typed" in names  # typed package (PEP 561)
    assert not any("ses_proxy" in n for n in names)  # test tooling stays out of the wheel
    # the matcher's shipped brand list and fitted weights
    assert "notifier/address/data/brands.tsv" in names
    assert "notifier/address/data/weights.json" in names
    size = sum(i.file_size for i in zipfile.ZipFile(wheel).infolist() if "/model/" in i.filename)
    assert size < 20 * 1024 * 1024

    # Installed (not editable), the package finds its model and templates by itself.
    target = tmp_path / "site"
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(target)
    probe = (
        "from notifier.address.segmenter import Segmenter; "
        "from notifier.campaigns.renderer import default_templates_dir; "
        "import notifier; "
        "print(Segmenter.load().segment('Flat 2, Sai Krupa Apartments, Nasik 422001').building); "
        "print(default_templates_dir())"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=tmp_path,
        env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout.splitlines()
    assert str(target) in out[1]


def test_readme_commands_use_the_project_venv() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    bare = re.findall(r"(?:^|[^/\w.])python3? (?:bench/|-m )\S+", text)
    assert not bare, f"README commands must use .venv/bin/python: {bare}"
