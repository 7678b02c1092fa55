"""A partner agency's generated client: openapi-python-client builds one from the
committed openapi.yaml without a single warning, and it parses our answers."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_a_client_generated_from_openapi_yaml_has_no_warnings_and_imports():
    result = subprocess.run(["bash", ".ci/client-check"], cwd=ROOT, env={"PY": sys.executable, "PATH": "/usr/bin:/bin"},
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "generated and imported" in result.stdout
