"""Production settings pass Django's deploy checks and refuse the demo."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def run_manage(*args, **env):
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | env
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=environment,
                          capture_output=True, text=True, timeout=120, check=False)


def test_check_deploy_reports_nothing_with_production_values():
    result = run_manage("check", "--deploy", "--fail-level", "DEBUG", PRODUCTION="1",
                        SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="texnopark.example.uz")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_complains_with_demo_defaults():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", PRODUCTION="0")
    assert result.returncode != 0
    assert "security.W" in result.stderr + result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", PRODUCTION="1", SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
