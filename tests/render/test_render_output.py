"""Writing diagrams: formats, renderers (system dot, graphviz-pure), bad output paths, the CLI's exit codes."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from vpckit.cli import main
from vpckit.errors import RenderError
from vpckit.render import diagram_source, draw
from vpckit.render.output import Renderer, find_renderer, format_of, render_bytes
from vpckit.sources import load

ROOT = Path(__file__).resolve().parents[2]
THREE_TIER = ROOT / "designs" / "three-tier.yaml"
MAGIC = {"svg": b"<?xml", "png": b"\x89PNG", "pdf": b"%PDF"}


@pytest.fixture(scope="module")
def source() -> str:
    return diagram_source(load(str(THREE_TIER)))


@pytest.mark.parametrize(
    ("name", "expected"),
    [("a.svg", "svg"), ("a.PNG", "png"), ("a.pdf", "pdf"), ("a.dot", "dot"), ("a.gv", "dot"), ("a.html", "html")],
)
def test_format_comes_from_the_suffix(name: str, expected: str) -> None:
    assert format_of(Path(name)) == expected


@pytest.mark.parametrize("name", ["a.jpg", "a", "a.svg.bak"])
def test_unknown_format_names_the_choices(name: str) -> None:
    with pytest.raises(RenderError, match=r"unknown diagram format .*expected \.svg, \.png, \.pdf, \.dot or \.html"):
        format_of(Path(name))


@pytest.mark.parametrize(
    ("available", "fmt", "chosen"),
    [
        ({"dot", "graphviz-pure"}, "svg", "dot"),  # Graphviz's own dot first
        ({"graphviz-pure"}, "svg", "graphviz-pure"),
        ({"graphviz-pure"}, "png", "graphviz-pure"),
        ({"dot", "graphviz-pure"}, "pdf", "dot"),
    ],
)
def test_renderer_choice(available: set[str], fmt: str, chosen: str) -> None:
    renderer = find_renderer(fmt, which=lambda p: f"/bin/{p}" if p in available else None)
    assert renderer == Renderer(chosen, f"/bin/{chosen}")


def test_no_renderer_says_exactly_what_to_install() -> None:
    with pytest.raises(RenderError) as error:
        find_renderer("svg", which=lambda p: None)
    message = str(error.value)
    assert "graphviz-pure (a dependency of vpckit" in message and "apt-get install graphviz" in message
    assert "writing .dot needs neither" in message


def test_pdf_without_graphviz_says_graphviz_pure_cannot() -> None:
    with pytest.raises(RenderError, match="graphviz-pure does not write PDF; install Graphviz"):
        find_renderer("pdf", which=lambda p: "/bin/gp" if p == "graphviz-pure" else None)


def test_dot_output_needs_no_renderer(tmp_path: Path, source: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no dot, no graphviz-pure
    out = tmp_path / "d.dot"
    assert draw(load(str(THREE_TIER)), out) == "dot"
    assert out.read_text() == source


@pytest.mark.parametrize("fmt", ["svg", "png"])
def test_graphviz_pure_renders(tmp_path: Path, source: str, fmt: str) -> None:
    """The optional extra (also in the test extra) draws without any system package."""
    found = shutil.which("graphviz-pure") or str(Path(os.sys.executable).parent / "graphviz-pure")
    assert Path(found).exists(), "graphviz-pure is part of the test extra: pip install -e '.[test]'"
    data = render_bytes(source, fmt, Renderer("graphviz-pure", found))
    assert data.startswith(MAGIC[fmt])
    if fmt == "svg":
        text = html.unescape(data.decode())
        assert 'id="subnet:prod/app-a"' in text and "nat-a" in text


@pytest.mark.parametrize("fmt", ["svg", "png", "pdf"])
def test_whatever_renderer_is_installed_writes_each_format(tmp_path: Path, fmt: str) -> None:
    """With Graphviz installed every format is written; without it PDF fails with the install hint."""
    out = tmp_path / f"three-tier.{fmt}"
    design = load(str(THREE_TIER))
    if fmt == "pdf" and not shutil.which("dot"):
        with pytest.raises(RenderError, match="install Graphviz"):
            draw(design, out)
        return
    draw(design, out)
    assert out.read_bytes().startswith(MAGIC[fmt])


def test_svg_ids_are_unique_network_ids(tmp_path: Path) -> None:
    out = tmp_path / "d.svg"
    draw(load(str(THREE_TIER)), out)
    ids = re.findall(r'<g id="([^"]+)" class="node"', html.unescape(out.read_text()))
    assert len(ids) == len(set(ids))
    assert {"internet", "igw:prod/igw-prod", "nat:prod/nat-a", "eni:prod/app-1", "subnet:prod/db-b"} <= set(ids)


# --------------------------------------------------------------------------- command line


def test_cli_writes_each_view(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for view in ("detailed", "subnets", "vpcs"):
        out = tmp_path / f"{view}.dot"
        assert main(["diagram", str(THREE_TIER), "-o", str(out), "--view", view]) == 0
        assert out.read_text() == diagram_source(load(str(THREE_TIER)), view)
    assert "written to" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("output", "message"),
    [
        ("{tmp}/d.jpg", "d.jpg: unknown diagram format '.jpg'"),
        ("{tmp}/missing/d.svg", "cannot write: folder {tmp}/missing does not exist"),
        ("{tmp}/taken.svg", "taken.svg: cannot write: is a directory"),
    ],
    ids=["unknown-extension", "missing-folder", "output-is-a-directory"],
)
def test_cli_bad_output_is_exit_2_with_a_clear_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], output: str, message: str
) -> None:
    (tmp_path / "taken.svg").mkdir()
    status = main(["diagram", str(THREE_TIER), "-o", output.format(tmp=tmp_path)])
    err = capsys.readouterr().err
    assert status == 2
    assert message.format(tmp=tmp_path).lower() in err.lower()
    assert "Traceback" not in err


def test_cli_bad_view_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diagram", str(THREE_TIER), "-o", str(tmp_path / "d.dot"), "--view", "tiny"]) == 2
    assert "tiny" in capsys.readouterr().err


#: Both renderers, always: a test of one that is not installed is a skip that says so (a failure under CI).
RENDERERS = ["dot", "graphviz-pure"]
SOURCES = [*sorted((ROOT / "designs").glob("*.yaml")),
           ROOT.parent / "shared" / "corpus" / "batfish-aws" / "hybrid-cloud-aws",
           ROOT.parent / "shared" / "corpus" / "batfish-aws" / "pybatfish-hybrid-cloud"]


@pytest.mark.parametrize("program", RENDERERS)
@pytest.mark.parametrize("source_path", SOURCES, ids=lambda p: p.stem)
def test_every_view_lays_out_without_graphviz_errors(program: str, source_path: Path, require) -> None:
    """Ranked edges between clusters once made Graphviz fail ("trouble in init_rank"); none may."""
    found = require(program)
    design = load(str(source_path))
    for view in ("detailed", "subnets", "vpcs"):
        done = subprocess.run([found, "-Tsvg"], input=diagram_source(design, view).encode(),
                              capture_output=True, check=False)
        assert done.returncode == 0 and not done.stderr.strip(), (view, done.stderr.decode()[:300])


@pytest.mark.parametrize("program", RENDERERS)
def test_a_peered_organisation_lays_out_without_graphviz_errors(program: str, require) -> None:
    """Ten VPCs in two regions: transit-gateway hubs and a peering chain (the benchmark's shape)."""
    import importlib.util

    from vpckit.model import Design

    spec = importlib.util.spec_from_file_location("render_bench", ROOT / "benchmarks" / "render_bench.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    design = Design.model_validate(bench.organisation(10))
    found = require(program)
    for view in ("detailed", "subnets", "vpcs"):
        done = subprocess.run([found, "-Tsvg"], input=diagram_source(design, view).encode(),
                              capture_output=True, check=False)
        assert done.returncode == 0 and not done.stderr.strip(), (program, view, done.stderr.decode()[:300])


def test_a_layout_that_takes_too_long_is_stopped_with_everything_it_started(tmp_path) -> None:
    """The renderer runs in its own process group: on timeout vpckit ends it and its children, and says what to do."""
    import os
    import stat

    from vpckit.errors import RenderError
    from vpckit.render.output import Renderer, render_bytes

    pids = tmp_path / "pids"
    slow = tmp_path / "slow-dot"
    slow.write_text(f"#!/bin/sh\nsleep 60 &\necho $! > {pids}\nsleep 60\n")
    slow.chmod(slow.stat().st_mode | stat.S_IEXEC)
    with pytest.raises(RenderError, match=r"did not finish laying out the diagram in 1 s; draw a smaller view"):
        render_bytes("digraph { a -> b }", "svg", Renderer("slow-dot", str(slow)), timeout=1)
    child = int(pids.read_text())
    for _ in range(50):  # the kill is asynchronous: give the kernel a moment to reap the orphan
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            break
        import time
        time.sleep(0.1)
    else:
        raise AssertionError(f"the renderer's child {child} is still running")


@pytest.mark.parametrize("prefer, fmt, message", [
    ("pure", "pdf", "renderer pure does not write .pdf; it writes png, svg"),
    ("nonsense", "svg", "unknown renderer 'nonsense'; expected one of: dot, pure"),
])
def test_a_named_renderer_that_cannot_draw_says_why(prefer: str, fmt: str, message: str) -> None:
    from vpckit.errors import RenderError
    from vpckit.render.output import find_renderer

    with pytest.raises(RenderError, match=re.escape(message)):
        find_renderer(fmt, which=lambda program: f"/opt/{program}", prefer=prefer)
