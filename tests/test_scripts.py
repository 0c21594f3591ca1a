"""The setup scripts as a new user meets them: a missing browser is installed, or named in one clear message."""

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_browser_check_passes_when_everything_is_there():
    done = subprocess.run(["bash", str(ROOT / "scripts" / "browser.sh")], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_a_user_who_cannot_install_is_told_the_one_command_to_run():
    # runuser (util-linux, on every Debian) plays a user without root or sudo; the script comes on stdin.
    done = subprocess.run(["runuser", "-u", "nobody", "--", "env", "FANZHA_CHROMIUM=/nonexistent/chromium",
                           "PATH=/usr/bin:/bin", "bash", "-s"], input=(ROOT / "scripts" / "browser.sh").read_text(),
                          capture_output=True, text=True, cwd="/")
    assert done.returncode == 1
    assert done.stderr.strip() == "浏览器测试需要 Chromium 和中文字体，请先运行：sudo apt-get install -y chromium"
