"""Safe defaults: the embedded configuration must never be a production footgun."""

import subprocess
import sys

from django.conf import settings

from marac.checks import check_not_demo, check_real_secret_key


def settings_in_fresh_process(env: dict, expr: str) -> str:
    code = f"import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'marac.settings'); django.setup(); from django.conf import settings; print({expr})"
    base = {"PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-c", code], env={**base, **env}, capture_output=True, text=True,
                          check=True, cwd=settings.BASE_DIR).stdout.strip()


def test_debug_is_off_by_default():
    assert settings_in_fresh_process({}, "settings.DEBUG") == "False"
    assert settings_in_fresh_process({"DJANGO_DEBUG": "1"}, "settings.DEBUG") == "True"


def test_embedded_default_is_sqlite_with_in_process_tasks():
    assert settings_in_fresh_process({}, "settings.DATABASES['default']['ENGINE']") == "django.db.backends.sqlite3"
    assert settings_in_fresh_process({}, "settings.CELERY_TASK_ALWAYS_EAGER") == "True"
    assert settings_in_fresh_process({"CELERY_BROKER_URL": "redis://127.0.0.1:6379/0"},
                                     "settings.CELERY_TASK_ALWAYS_EAGER") == "False"


def test_database_url_selects_postgresql():
    url = "postgres://marac@db.example:5432/marac"
    assert settings_in_fresh_process({"DATABASE_URL": url}, "settings.DATABASES['default']['ENGINE']") == \
        "django.db.backends.postgresql"


def test_allowed_hosts_default_and_override():
    assert settings_in_fresh_process({}, "settings.ALLOWED_HOSTS") == "['localhost', '127.0.0.1']"
    assert settings_in_fresh_process({"DJANGO_ALLOWED_HOSTS": "a.example, b.example"},
                                     "settings.ALLOWED_HOSTS") == "['a.example', 'b.example']"


def test_deploy_check_refuses_the_development_secret_key(settings):
    settings.SECRET_KEY = settings.DEVELOPMENT_SECRET_KEY
    assert [e.id for e in check_real_secret_key(None)] == ["marac.E001"]
    settings.SECRET_KEY = "x" * 20
    assert [e.id for e in check_real_secret_key(None)] == ["marac.E001"]
    settings.SECRET_KEY = "k3J!a9$Lw0-qZ7@xT2%vR8^mN4&bC6*dF1(hG5)jK0_pS3+uY9=eW2~iO7"
    assert check_real_secret_key(None) == []


def test_passwords_are_validated_with_a_minimum_length():
    names = [v["NAME"].rsplit(".", 1)[-1] for v in settings.AUTH_PASSWORD_VALIDATORS]
    assert "MinimumLengthValidator" in names and "CommonPasswordValidator" in names


def test_deploy_check_refuses_demo_mode(settings):
    settings.MARAC_DEMO = True
    assert [e.id for e in check_not_demo(None)] == ["marac.E002"]
    settings.MARAC_DEMO = False
    assert check_not_demo(None) == []
    assert settings_in_fresh_process({}, "settings.MARAC_DEMO") == "False"


def test_login_throttle_keeps_production_defaults_outside_the_demo():
    rates = "settings.REST_FRAMEWORK['DEFAULT_THROTTLE_RATES']"
    assert settings_in_fresh_process({}, f"{rates}['login'], {rates}['login_username']") == "10/min 10/min"
    demo = settings_in_fresh_process({"MARAC_DEMO": "1"}, f"{rates}['login'], {rates}['login_username']")
    assert demo == "600/min 10/min"
    # An explicit MARAC_THROTTLE_LOGIN wins, in the demo too.
    assert settings_in_fresh_process({"MARAC_DEMO": "1", "MARAC_THROTTLE_LOGIN": "5/min"},
                                     f"{rates}['login']") == "5/min"


def test_static_files_need_no_collected_folder():
    assert settings_in_fresh_process({}, "settings.STATIC_ROOT") == "None"
    assert settings_in_fresh_process({"DJANGO_STATIC_ROOT": "/srv/static"}, "settings.STATIC_ROOT") == "/srv/static"
