"""The Nu HTML Checker (vnu.jar, the W3C validator's engine) over rendered
pages, in one Java process for all of them.

``make test`` installs the jar from the vnu-jar npm package into the
virtual environment (see the Makefile); ``VNU_JAR`` points at another copy.
Java is a system package: .ci/run installs it where it is missing.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

TIMEOUT_S = 180
# Where the Makefile puts it, inside the virtual environment.
INSTALLED_JAR = "vnu/node_modules/vnu-jar/build/dist/vnu.jar"


class CheckerUnavailable(Exception):
    """The checker cannot run here; the message says what to install."""


@dataclass(frozen=True)
class Message:
    page: str
    line: int | None
    column: int | None
    text: str
    extract: str

    def __str__(self):
        where = f"{self.page}, line {self.line}" if self.line else self.page
        extract = " ".join(self.extract.split())
        return f"{where}: {self.text}" + (f"\n      …{extract}…" if extract else "")


def jar_path():
    path = Path(os.environ.get("VNU_JAR") or Path(sys.prefix) / INSTALLED_JAR)
    if not path.is_file():
        raise CheckerUnavailable(
            f"vnu.jar not found at {path}: `make test` installs it "
            f"(make {Path(sys.prefix).name}/{INSTALLED_JAR}), or set VNU_JAR to a vnu.jar file."
        )
    return path


def java_path():
    java = shutil.which("java")
    if java is None:
        raise CheckerUnavailable(
            "Java is not installed, and the Nu HTML Checker runs on it: "
            "apt-get install -y default-jre-headless (.ci/run does this when java is missing)."
        )
    return java


def check(pages):
    """Errors in ``pages`` ({name: HTML bytes or text}), as a list of Message.

    Only errors: warnings and notes are advice, not invalid HTML."""
    java, jar = java_path(), jar_path()
    with tempfile.TemporaryDirectory(prefix="kb-vnu-") as folder:
        names = {}
        for number, (name, html) in enumerate(pages.items()):
            path = Path(folder) / f"page-{number:03d}.html"
            path.write_bytes(html.encode() if isinstance(html, str) else html)
            names[path.name] = name
        command = [java, "-XX:-UsePerfData", "-Xss8m", "-jar", str(jar)]
        command += ["--format", "json", "--errors-only", "--stdout", "--exit-zero-always"]
        command += [str(Path(folder) / file_name) for file_name in names]
        done = subprocess.run(  # noqa: S603 - our own java, jar and files
            command, capture_output=True, timeout=TIMEOUT_S, check=False
        )
        if done.returncode != 0 or not done.stdout.strip():
            raise RuntimeError(
                f"vnu.jar failed (exit {done.returncode}): {done.stderr.decode(errors='replace')}"
            )
        report = json.loads(done.stdout)
    return [
        Message(
            page=names.get(Path(item.get("url", "")).name, item.get("url", "?")),
            line=item.get("lastLine"),
            column=item.get("lastColumn"),
            text=item.get("message", ""),
            extract=item.get("extract", ""),
        )
        for item in report["messages"]
        if item.get("type") in {"error", "non-document-error"}
    ]
