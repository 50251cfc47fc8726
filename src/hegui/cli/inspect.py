"""`hegui inspect`: conversations (JSONL) in, findings out, one conversation at a time."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path
from typing import Annotated, BinaryIO

import typer
import yaml
from pydantic import SecretStr
from rich.console import Console
from rich.text import Text

from hegui.cli.exits import ExitCode
from hegui.cli.inspect_io import (
    Inputs,
    Output,
    OutputClosed,
    OutputFailed,
    OutputFormat,
    Sink,
    UsageError,
)
from hegui.cli.inspect_io import open_output as open_output
from hegui.cli.inspect_report import FailOn, Reporter, progress_bar
from hegui.cli.inspect_run import CHUNK_LINES, InspectJob, read_chunks, run_parallel, run_serial
from hegui.cli.interrupt import Interrupted, Signals
from hegui.cli.pii import PRESETS, load_mask_policy
from hegui.cli.quality import BatchExtras, scorecard_option
from hegui.cli.workers import WorkerCrashed, start_workers, stop_workers
from hegui.engine.match import hyperscan_available
from hegui.engine.pii import LeakPolicy, MaskPolicy
from hegui.inspector import Inspector
from hegui.llmcheck import LlmOptions
from hegui.packs import PackError, safe_yaml
from hegui.scorecards import ScorecardError

__all__ = ["InspectOptions", "OutputFormat", "inspect_command"]


class Backend(StrEnum):
    auto = "auto"
    hyperscan = "hyperscan"
    portable = "portable"


@dataclass(frozen=True)
class InspectOptions:
    """What builds the Inspector, in a form worker processes can receive."""

    industry: str | None
    packs: tuple[str, ...] | None
    rules_dirs: tuple[Path, ...]
    backend: str
    mask: MaskPolicy | None
    leak_policy: LeakPolicy | None
    llm: LlmOptions | None = None

    def inspector(self) -> Inspector:
        return Inspector.build(
            industry=self.industry,
            packs=self.packs,
            rules_dirs=self.rules_dirs,
            backend=self.backend,
            mask=self.mask,
            leak_policy=self.leak_policy,
            llm=self.llm,
        )


def inspect_command(
    files: Annotated[list[str], typer.Argument(help="对话文件 JSONL files ('-' = stdin)")],
    industry: Annotated[
        str | None, typer.Option(help="行业（选择默认规则包）industry selecting default packs")
    ] = None,
    packs: Annotated[
        str | None, typer.Option(help="规则包，逗号分隔 comma-separated packs (overrides industry)")
    ] = None,
    rules: Annotated[
        list[Path] | None, typer.Option("--rules", help="自定义规则目录 your own rules folder/file")
    ] = None,
    out: Annotated[Path | None, typer.Option(help="输出文件 output file (default stdout)")] = None,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", help="jsonl | json | table (table: at the end)")
    ] = OutputFormat.jsonl,
    jobs: Annotated[int, typer.Option(min=1, help="并行进程数 worker processes")] = 1,
    backend: Annotated[Backend, typer.Option(help="匹配引擎 matcher")] = Backend.auto,
    mask: Annotated[
        str | None,
        typer.Option(help="脱敏证据 mask evidence: tag|full|partial|hash|fpe or a policy file"),
    ] = None,
    salt: Annotated[
        str | None, typer.Option(help="hash/fpe 的盐 salt for hash/fpe", envvar="HEGUI_MASK_SALT")
    ] = None,
    leak_policy: Annotated[
        Path | None, typer.Option(help="泄露判定策略 YAML leak policy (see docs/pii.md)")
    ] = None,
    fail_on: Annotated[
        FailOn | None,
        typer.Option(help="有此级别及以上的发现时退出码 4 exit 4 on a finding this severe or more"),
    ] = None,
    metrics: Annotated[
        bool,
        typer.Option("--metrics", help="加一行服务质量指标 add a metrics line per conversation"),
    ] = False,
    scorecard: Annotated[
        str | None,
        typer.Option(
            help="加一行评分 add a score line per conversation: a YAML file or a card name"
        ),
    ] = None,
    llm_url: Annotated[
        str | None,
        typer.Option(
            help="大模型地址 OpenAI-compatible base URL for llm rules (…/v1)",
            envvar="HEGUI_LLM_BASE_URL",
        ),
    ] = None,
    llm_model: Annotated[
        str | None, typer.Option(help="大模型名称 model for llm rules", envvar="HEGUI_LLM_MODEL")
    ] = None,
    llm_key: Annotated[
        str | None,
        typer.Option(help="大模型密钥 API key", envvar="HEGUI_LLM_API_KEY", show_default=False),
    ] = None,
    llm_budget: Annotated[
        int,
        typer.Option(
            min=1, help="本次运行的令牌上限 token budget", envvar="HEGUI_LLM_TOKEN_BUDGET"
        ),
    ] = 200_000,
    llm_timeout: Annotated[
        float,
        typer.Option(
            min=0.001, help="每次调用超时秒数 seconds per call", envvar="HEGUI_LLM_TIMEOUT"
        ),
    ] = 60.0,
    llm_cache: Annotated[
        Path | None,
        typer.Option(help="大模型应答缓存目录 keep answers here", envvar="HEGUI_LLM_CACHE_DIR"),
    ] = None,
) -> None:
    """质检对话 Inspect conversations; write one finding per line, as each is inspected.

    退出码 Exit codes: 0 clean; 1 malformed lines skipped (reported on stderr); 2 usage or
    configuration error (bad option, rule pack or policy, unreadable input, unwritable --out);
    3 internal error (please report; HEGUI_DEBUG=1 shows the traceback); 4 --fail-on met;
    130/143 interrupted by SIGINT/SIGTERM (the output holds whole conversations); 141
    output pipe closed. When several apply: 3 > 2 > 4 > 1. See docs/cli.md.
    """
    err = Console(stderr=True, highlight=False)
    try:
        with Signals():  # Ctrl-C while the rules compile: exit 130 too, not click's "Aborted!"
            options = _options(industry, packs, rules, backend, mask, salt, leak_policy)
            if llm_url or llm_model:
                llm = _llm(llm_url, llm_model, llm_key, llm_budget, llm_timeout, llm_cache)
                options = replace(options, llm=llm)
            inspector = _inspector(options)
            extras = _extras(metrics, scorecard, output_format)
            inputs = Inputs.check(files)
            stream = open_output(out, inputs)
    except UsageError as exc:
        err.print(Text(str(exc), style="red"), soft_wrap=True)
        raise typer.Exit(ExitCode.USAGE) from None
    except Interrupted as exc:
        err.print(Text(f"已中断 interrupted by {exc} before reading any input", "yellow"))
        raise typer.Exit(exc.exit_code) from None
    if options.llm is not None and jobs > 1:  # one token budget for the run: one process
        err.print("--jobs: 大模型规则按一个进程运行 with an LLM endpoint the run uses one process")
        jobs = 1
    job = InspectJob(options, output_format, extras)
    run = _Run(inspector, job, inputs, _jobs(jobs, err), err)
    try:
        code = run(stream, fail_on)
    finally:
        if out is not None:
            stream.close()
    raise typer.Exit(code)


def _options(
    industry: str | None,
    packs: str | None,
    rules: list[Path] | None,
    backend: Backend,
    mask: str | None,
    salt: str | None,
    leak_policy: Path | None,
) -> InspectOptions:
    if backend is Backend.hyperscan and not hyperscan_available():
        raise UsageError("hyperscan 不可用 --backend hyperscan: hyperscan is not installed")
    return InspectOptions(
        industry=industry,
        packs=tuple(p.strip() for p in packs.split(",") if p.strip())
        if packs is not None
        else None,
        rules_dirs=tuple(rules or ()),
        backend=backend.value,
        mask=_mask(mask, salt) if mask else None,
        leak_policy=_leak_policy(leak_policy) if leak_policy else None,
    )


def _llm(
    url: str | None,
    model: str | None,
    key: str | None,
    budget: int,
    timeout: float,
    cache: Path | None,
) -> LlmOptions:
    if not url or not model:
        missing = "--llm-url (HEGUI_LLM_BASE_URL)" if not url else "--llm-model (HEGUI_LLM_MODEL)"
        raise UsageError(f"大模型配置不完整 the LLM endpoint needs {missing} as well")
    try:
        return LlmOptions(
            base_url=url,
            model=model,
            api_key=SecretStr(key) if key else None,
            token_budget=budget,
            timeout=timeout,
            cache_dir=cache,
        )
    except ValueError as exc:
        raise UsageError(f"大模型配置无效 bad LLM options: {exc}") from exc


def _mask(spec: str, salt: str | None) -> MaskPolicy:
    if spec not in PRESETS and not Path(spec).is_file():
        raise UsageError(
            f"未知脱敏方式 --mask {spec!r}: neither a preset ({', '.join(PRESETS)}) nor a file"
        )
    try:
        return load_mask_policy(spec, salt or "")
    except (OSError, ValueError, KeyError, yaml.YAMLError) as exc:
        raise UsageError(f"脱敏策略无效 bad mask policy {spec}: {exc}") from exc


def _leak_policy(path: Path) -> LeakPolicy:
    try:
        data = safe_yaml.load_file(path)
        if not isinstance(data, dict):
            raise ValueError("a leak policy is a mapping")
        return LeakPolicy.from_mapping(data)
    except (OSError, ValueError, KeyError, yaml.YAMLError) as exc:
        raise UsageError(f"泄露策略无效 bad leak policy {path}: {exc}") from exc


def _inspector(options: InspectOptions) -> Inspector:
    try:
        return options.inspector()
    except (PackError, ValueError, OSError) as exc:
        raise UsageError(str(exc)) from exc


def _extras(metrics: bool, scorecard: str | None, fmt: OutputFormat) -> BatchExtras | None:
    if not metrics and scorecard is None:
        return None
    if fmt is not OutputFormat.jsonl:
        raise UsageError("--metrics 与 --scorecard 仅用于 --format jsonl: they add JSONL lines")
    try:
        card = scorecard_option(scorecard) if scorecard is not None else None
    except ScorecardError as exc:
        raise UsageError(str(exc)) from exc
    return BatchExtras(metrics=metrics, scorecard=card)


def _jobs(jobs: int, err: Console) -> int:
    cpus = os.cpu_count() or 1
    if jobs > cpus:
        err.print(f"--jobs {jobs} 多于 CPU 数 is more than the {cpus} CPUs; using {cpus}")
    return min(jobs, cpus)


@dataclass
class _Run:
    inspector: Inspector
    job: InspectJob
    inputs: Inputs
    jobs: int
    err: Console

    def __call__(self, stream: BinaryIO, fail_on: FailOn | None) -> int:
        with Signals() as signals:
            reporter = Reporter(self.err, Output(Sink(stream, signals), self.job.fmt))
            interrupted = None
            try:
                self._feed(reporter)
            except Interrupted as exc:
                interrupted = exc
                signals.restore()
                self._end(reporter.output, exc)
            except WorkerCrashed as exc:  # killed by the OOM killer, or a crash in C code
                reporter.say(Text(f"内部错误 internal error: {exc}; 请报告 please report", "red"))
                self._end(reporter.output, None)
                return ExitCode.INTERNAL
            except OutputClosed:
                return ExitCode.OUTPUT_CLOSED
            except OutputFailed as exc:
                reporter.say(Text(str(exc), style="red"))
                return ExitCode.USAGE
        if interrupted is not None:
            reporter.say(Text(_interrupted(interrupted, reporter.tally.conversations), "yellow"))
        reporter.say(Text(reporter.tally.summary()))
        if self.inspector.llm is not None:
            reporter.say(Text(self.inspector.llm.summary()))
            self.inspector.llm.close()
        return interrupted.exit_code if interrupted else reporter.tally.exit_code(fail_on)

    def _feed(self, reporter: Reporter) -> None:
        workers = start_workers(self.jobs, self.job, self.inspector) if self.jobs > 1 else []
        clean = False
        try:
            with progress_bar(self.inputs, self.err) as reporter.progress:
                reporter.output.start()
                lines = CHUNK_LINES if workers else 1
                chunks = read_chunks(self.inputs, lines, reporter.unreadable)
                if workers:
                    run_parallel(workers, chunks, reporter.emit)
                else:
                    run_serial(self.inspector, self.job.fmt, chunks, reporter.emit, self.job.extras)
                reporter.output.finish()
            clean = True
        finally:
            stop_workers(workers, kill=not clean)

    @staticmethod
    def _end(output: Output, exc: Interrupted | None) -> None:
        """After SIGINT/SIGTERM or a lost worker: end the output cleanly (a JSON array
        closed, the table drawn) with what was inspected — unless a pipe nobody reads
        would block us again."""
        if exc is not None and exc.mid_write:
            output.sink.abandon()
            return
        try:
            output.finish()
        except (OutputClosed, OutputFailed):
            output.sink.abandon()


def _interrupted(exc: Interrupted, conversations: int) -> str:
    if exc.mid_write:
        return (
            f"已中断 interrupted by {exc} while the output was not being read: the findings of "
            f"the last of {conversations} conversations may be cut off"
        )
    return (
        f"已中断 interrupted by {exc}: the output holds the findings of the {conversations} "
        "conversations inspected, each whole"
    )
