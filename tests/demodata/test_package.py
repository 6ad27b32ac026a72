"""The demo data stays out of the production apps: its own package, split by concern."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ("areas", "households", "projects", "indicators", "reports", "povertyportal")
# The one entry point: `manage.py seed_demo` (areas' command) runs the demo data.
ALLOWED = {ROOT / "areas" / "management" / "commands" / "seed_demo.py"}
IMPORT = re.compile(r"^\s*(from|import)\s+demodata\b", re.MULTILINE)


def test_no_production_module_imports_the_demo_data():
    offenders = [
        str(path.relative_to(ROOT))
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if path not in ALLOWED and IMPORT.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_the_generator_is_split_by_concern():
    sizes = {
        p.name: len(p.read_text(encoding="utf-8").splitlines())
        for p in (ROOT / "demodata").glob("*.py")
    }
    assert {"geography.py", "people.py", "survey_facts.py", "plan.py", "rows.py", "load.py",
            "households.py"} <= set(sizes)  # fmt: skip
    assert max(sizes.values()) < 450, sizes
