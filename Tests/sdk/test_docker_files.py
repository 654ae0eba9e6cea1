"""The Docker files, checked without Docker: what the image copies, what it leaves out, and how
deploy/compose.yaml wires two gateways to one database behind nginx.

Nothing here runs Docker, Swift or a gateway (standard library only). What is checked:
  (a) every path the Dockerfile copies from the build context exists in the repository;
  (b) every file the build needs lands where `swift build` looks for it: Package.swift, every file
      under Sources/, every directory of a target declared in Package.swift (with its resources),
      and in the runtime image every file under policies/ with the files the shipped policies name
      (`prices:`, `next_move_model:`) at the same place relative to the policy; plus the runtime
      image's command, health check, user and volume;
  (c) no pattern of .dockerignore keeps any of those out of the build context, while build output,
      virtual environments, ledgers, test output and .git stay out;
  (d) deploy/compose.yaml names only files that exist (nginx.conf, build context, Dockerfile), both
      gateways use the same postgres:// URL of the compose file's PostgreSQL, and the balancer lists
      both.
Each check returns its problems as sentences; the tests at the end feed deliberately broken files
to each one, so that none of them can pass by finding nothing.
"""
from __future__ import annotations

import fnmatch
import json
import os
import posixpath
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"


def read(relative: str) -> str:
    return (REPO / relative).read_text()


def files_under(repo: Path, relative: str) -> list[str]:
    """Every file under `relative` (a file or a directory), as repository paths with `/`."""
    top = repo / relative
    if top.is_file():
        return [relative]
    found = []
    for folder, dirs, names in os.walk(top):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(names):
            found.append((Path(folder) / name).relative_to(repo).as_posix())
    return found


def has_glob(path: str) -> bool:
    return any(c in path for c in "*?[")


# ---- Dockerfile -------------------------------------------------------------------------------


@dataclass
class Instruction:
    keyword: str  # upper case
    args: str  # the rest, continuation lines joined
    stage: int  # index of the FROM it belongs to
    stage_name: str | None
    workdir: str  # the working directory when it runs
    line: int


@dataclass
class Copy:
    instruction: Instruction
    sources: list[str]
    dest: str
    flags: dict[str, str] = field(default_factory=dict)

    @property
    def from_stage(self) -> str | None:
        return self.flags.get("from")

    @property
    def dest_path(self) -> str:
        return posixpath.normpath(posixpath.join(self.instruction.workdir, self.dest))

    @property
    def dest_is_directory(self) -> bool:
        return self.dest.endswith("/") or len(self.sources) > 1 or any(has_glob(s) for s in self.sources)


def dockerfile_instructions(text: str) -> list[Instruction]:
    """Instructions with continuation lines joined as Docker joins them (the backslash and newline
    removed; comment and blank lines inside a continuation skipped). No heredocs."""
    logical: list[tuple[int, str]] = []
    parts: list[str] = []
    start = 0
    for number, raw in enumerate(text.splitlines(), 1):
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue  # a comment, a parser directive or a blank line, inside a continuation or not
        if not parts:
            start = number
        if raw.rstrip().endswith("\\"):
            parts.append(raw.rstrip()[:-1])
            continue
        parts.append(raw)
        logical.append((start, "".join(parts).strip()))
        parts = []
    if parts:
        logical.append((start, "".join(parts).strip()))

    instructions = []
    stage, stage_name, workdir = -1, None, "/"
    for line, text_ in logical:
        keyword, _, rest = text_.partition(" ")
        keyword, rest = keyword.upper(), rest.strip()
        if keyword == "FROM":
            words = [w for w in rest.split() if not w.startswith("--")]
            stage += 1
            stage_name = words[2] if len(words) >= 3 and words[1].lower() == "as" else None
            workdir = "/"
        elif keyword == "WORKDIR":
            workdir = posixpath.normpath(posixpath.join(workdir, rest.strip("\"'")))
        instructions.append(Instruction(keyword, rest, stage, stage_name, workdir, line))
    return instructions


def exec_form(text: str) -> list[str]:
    """The words of a JSON (exec) form, or of a shell form split as a shell would."""
    text = text.strip()
    if text.startswith("["):
        try:
            return [str(word) for word in json.loads(text)]
        except json.JSONDecodeError:
            pass
    return shlex.split(text)


def copies(instructions: list[Instruction]) -> list[Copy]:
    found = []
    for instruction in instructions:
        if instruction.keyword not in ("COPY", "ADD"):
            continue
        rest, flags = instruction.args, {}
        while True:
            match = re.match(r"--([\w-]+)(?:=(\S*))?\s+", rest)
            if not match:
                break
            flags[match.group(1)] = match.group(2) or ""
            rest = rest[match.end():]
        paths = exec_form(rest)
        found.append(Copy(instruction, paths[:-1], paths[-1] if paths else "", flags))
    return found


def matches_glob(path: str, pattern: str) -> bool:
    """Docker's wildcards in COPY sources: Go's filepath.Match, one path segment at a time."""
    a, b = path.split("/"), pattern.split("/")
    return len(a) == len(b) and all(fnmatch.fnmatchcase(x, y) for x, y in zip(a, b))


def landing(copy: Copy, path: str, repo: Path) -> str | None:
    """Where a COPY from the build context puts the repository path `path` (a file or directory),
    or None when it does not copy it. A directory source copies its contents, not itself."""
    for source in copy.sources:
        source = posixpath.normpath(source.lstrip("/"))
        # `path` itself, then each of its parents ("a/b/c" -> "a/b/c", "a/b", "a").
        candidates = [path] + [path.rsplit("/", n)[0] for n in range(1, path.count("/") + 1)]
        for top in candidates + ["."]:
            if top == "." and source != ".":
                continue
            if not (matches_glob(top, source) if has_glob(source) else top == source):
                continue
            if top == ".":
                return posixpath.join(copy.dest_path, path)
            if (repo / top).is_dir():
                return posixpath.normpath(posixpath.join(copy.dest_path, posixpath.relpath(path, top)))
            if top == path:  # a file
                return posixpath.join(copy.dest_path, posixpath.basename(path)) if copy.dest_is_directory else copy.dest_path
    return None


def landing_in_stage(instructions: list[Instruction], stage: int, path: str, repo: Path, before_line: int | None = None):
    """Where the last COPY from the build context of `stage` (before `before_line`) puts `path`."""
    where = None
    for copy in copies(instructions):
        if copy.instruction.stage != stage or copy.from_stage is not None:
            continue
        if before_line is not None and copy.instruction.line >= before_line:
            continue
        spot = landing(copy, path, repo)
        if spot is not None:
            where = spot
    return where


# ---- Package.swift ----------------------------------------------------------------------------

TARGET_KINDS = ("target", "executableTarget", "testTarget", "plugin", "macro", "systemLibrary", "binaryTarget")
TARGET_CALL = re.compile(r"\.(%s)\s*\(" % "|".join(TARGET_KINDS))


def code_depths(text: str) -> list[int]:
    """For each character, its bracket depth, or -1 inside a string literal or a comment."""
    depths = [-1] * len(text)
    depth, i = 0, 0
    while i < len(text):
        if text.startswith("//", i):
            end = text.find("\n", i)
            i = len(text) if end < 0 else end
            continue
        if text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = len(text) if end < 0 else end + 2
            continue
        if text.startswith('"""', i):
            end = text.find('"""', i + 3)
            i = len(text) if end < 0 else end + 3
            continue
        if text[i] == '"':
            i += 1
            while i < len(text) and text[i] != '"':
                i += 2 if text[i] == "\\" else 1
            i += 1
            continue
        if text[i] in ")]}":
            depth -= 1
        depths[i] = depth
        if text[i] in "([{":
            depth += 1
        i += 1
    return depths


def closing(depths: list[int], opening: int) -> int:
    """The index of the bracket that closes the one at `opening`."""
    for i in range(opening + 1, len(depths)):
        if depths[i] == depths[opening]:
            return i
    raise ValueError("unbalanced brackets in Package.swift")


@dataclass
class Target:
    kind: str
    name: str
    path: str | None  # None: a binary target fetched from a URL
    resources: list[str]
    declared_in_package_call: bool
    guarded_by_environment: bool


def package_targets(text: str) -> list[Target]:
    """The targets of a manifest: those in `Package(targets: [...])`, and those appended after it
    (which count as built by default only when not inside an `if Context.environment[...]`)."""
    depths = code_depths(text)
    package = re.search(r"\bPackage\s*\(", text)
    if package is None:
        raise ValueError("Package.swift has no Package(...)")
    open_paren = package.end() - 1
    close_paren = closing(depths, open_paren)
    inside = depths[open_paren] + 1
    array = None
    for match in re.finditer(r"\btargets\s*:\s*\[", text[open_paren:close_paren]):
        start = open_paren + match.start()
        if depths[start] == inside:
            array = (open_paren + match.end() - 1, closing(depths, open_paren + match.end() - 1))
    if array is None:
        raise ValueError("Package(...) has no targets: [...]")

    targets = []
    for match in TARGET_CALL.finditer(text):
        if depths[match.start()] < 0:
            continue
        args_open = match.end() - 1
        args_close = closing(depths, args_open)
        level = depths[args_open] + 1
        args = {}
        for key in ("name", "path", "url"):
            for found in re.finditer(key + r'\s*:\s*"([^"]*)"', text[args_open:args_close]):
                if depths[args_open + found.start()] == level:
                    args.setdefault(key, found.group(1))
        resources = re.findall(r'\.(?:copy|process|embedInCode)\s*\(\s*"([^"]+)"', text[args_open:args_close])
        kind, name = match.group(1), args.get("name", "")
        default = {"testTarget": "Tests/", "plugin": "Plugins/"}.get(kind, "Sources/") + name
        path = args.get("path") or (None if kind == "binaryTarget" else default)
        in_call = array[0] < match.start() < array[1]
        # Appended after Package(...): guarded when the nearest `if` before it at column 0 names
        # Context.environment and no line closes that block (a `}` at column 0) in between.
        before = text[: match.start()]
        opening = before.rfind("\nif ")
        guarded = (
            opening >= 0
            and "Context.environment" in before[opening : before.find("\n", opening + 1)]
            and "\n}" not in before[opening:]
        )
        targets.append(Target(kind, name, path, resources, in_call, guarded))
    return targets


def package_product_executables(text: str) -> list[str]:
    return re.findall(r'\.executable\s*\(\s*name\s*:\s*"([^"]+)"', text)


def build_inputs(repo: Path, package_text: str) -> tuple[list[str], list[str]]:
    """What `swift build` needs from the repository, and what is wrong with the repository itself
    (a declared directory or resource that is missing, a target built by default outside Package())."""
    needed, problems = ["Package.swift"], []
    needed += files_under(repo, "Sources")
    for target in package_targets(package_text):
        if not target.declared_in_package_call:
            if not target.guarded_by_environment:
                problems.append(
                    f"target {target.name} is appended to the package outside an `if Context.environment[...]` "
                    "block: every build declares it, so the Dockerfile must copy it")
            else:
                continue  # only with an environment variable the Docker build does not set
        if target.path is None:
            continue
        if not (repo / target.path).is_dir():
            problems.append(f"target {target.name}: its directory {target.path} does not exist")
            continue
        needed.append(target.path)
        needed += files_under(repo, target.path)
        for resource in target.resources:
            resource_path = posixpath.join(target.path, resource)
            if not (repo / resource_path).exists():
                problems.append(f"target {target.name}: its resource {resource_path} does not exist")
            else:
                needed.append(resource_path)
    return sorted(set(needed)), problems


# ---- Policies ---------------------------------------------------------------------------------

POLICY_FILE_KEYS = ("prices", "next_move_model")


def policy_references(text: str) -> list[str]:
    """The files a policy names at its top level, as written: `prices: prices.yaml`,
    `next_move_model: models/next-move.json`, or any other top-level value that is a .yaml, .yml
    or .json path. An inline price book (`prices:` with a mapping below it) names no file."""
    found = []
    for line in text.splitlines():
        match = re.match(r"([A-Za-z_][\w-]*)\s*:\s*(.*)$", line)  # column 0 only: top-level keys
        if not match:
            continue
        key, value = match.group(1), re.sub(r"\s+#.*$", "", match.group(2)).strip().strip("\"'")
        if not value or value[0] in "{[|>&*!":
            continue
        if key in POLICY_FILE_KEYS or re.search(r"\.(ya?ml|json)$", value):
            found.append(value)
    return found


def shipped_policies(repo: Path) -> list[str]:
    return [p for p in files_under(repo, "policies") if p.endswith((".yaml", ".yml"))]


def policy_reference_problems(repo: Path, policies: dict[str, str] | None = None) -> list[str]:
    """Every file a shipped policy names exists, inside policies/ (so copying policies/ ships it)."""
    if policies is None:
        policies = {p: (repo / p).read_text() for p in shipped_policies(repo)}
    problems = []
    for policy, text in sorted(policies.items()):
        for reference in policy_references(text):
            target = posixpath.normpath(posixpath.join(posixpath.dirname(policy), reference))
            if not (repo / target).is_file():
                problems.append(f"{policy} names {reference}, but {target} does not exist")
            elif not target.startswith("policies/"):
                problems.append(f"{policy} names {reference}, which is outside policies/")
    return problems


# ---- The checks of the Dockerfile -------------------------------------------------------------


def option(words: list[str], name: str) -> str | None:
    for i, word in enumerate(words):
        if word == name and i + 1 < len(words):
            return words[i + 1]
        if word.startswith(name + "="):
            return word.split("=", 1)[1]
    return None


def env_values(instructions: list[Instruction], stage: int) -> dict[str, str]:
    values = {}
    for instruction in instructions:
        if instruction.stage != stage or instruction.keyword != "ENV":
            continue
        words = shlex.split(instruction.args)
        if words and "=" not in words[0]:  # the old form, ENV KEY value
            values[words[0]] = " ".join(words[1:])
        else:
            values.update(word.split("=", 1) for word in words)
    return values


def dockerfile_problems(dockerfile: str, repo: Path = REPO, package_text: str | None = None) -> list[str]:
    package_text = read("Package.swift") if package_text is None else package_text
    instructions = dockerfile_instructions(dockerfile)
    problems: list[str] = []
    if not instructions or instructions[0].keyword not in ("FROM", "ARG"):
        return ["the Dockerfile does not start with FROM"]
    stages = {i.stage_name: i.stage for i in instructions if i.keyword == "FROM" and i.stage_name}
    final = instructions[-1].stage

    # (a) Every source copied from the build context exists.
    for copy in copies(instructions):
        if copy.from_stage is not None:
            if copy.from_stage not in stages and not re.search(r"[:/]", copy.from_stage):
                problems.append(f"line {copy.instruction.line}: --from={copy.from_stage} names no stage")
            elif copy.from_stage in stages and stages[copy.from_stage] >= copy.instruction.stage:
                problems.append(f"line {copy.instruction.line}: --from={copy.from_stage} is not an earlier stage")
            continue
        if not copy.sources:
            problems.append(f"line {copy.instruction.line}: {copy.instruction.keyword} without a source")
        for source in copy.sources:
            if re.match(r"https?://|git@", source):
                continue
            relative = posixpath.normpath(source.lstrip("/"))
            exists = any(True for _ in repo.glob(relative)) if has_glob(relative) else (repo / relative).exists()
            if not exists:
                problems.append(f"line {copy.instruction.line}: {copy.instruction.keyword} {source}: no such path")

    # (b) The build: every input lands at the same path under the package root of `swift build`.
    builds = [i for i in instructions if i.keyword == "RUN" and re.search(r"\bswift\s+build\b", i.args)]
    if not builds:
        return problems + ["no RUN runs swift build"]
    build = builds[0]
    words = shlex.split(build.args.replace("&&", " && "))
    root = build.workdir
    if option(words, "--package-path"):
        root = posixpath.normpath(posixpath.join(root, option(words, "--package-path")))
    products = package_product_executables(package_text)
    if option(words, "--product") not in products:
        problems.append(f"swift build builds --product {option(words, '--product')}, not one of {products}")
    inputs, repo_problems = build_inputs(repo, package_text)
    problems += repo_problems
    for path in inputs:
        want = posixpath.join(root, path)
        got = landing_in_stage(instructions, build.stage, path, repo, before_line=build.line)
        if got != want:
            problems.append(f"{path} must be at {want} for swift build, but " + (f"is copied to {got}" if got else "is not copied"))

    # The runtime image: the binary, the policies beside what they name, and the command.
    entrypoint = next((exec_form(i.args) for i in reversed(instructions) if i.keyword == "ENTRYPOINT" and i.stage == final), [])
    command = next((exec_form(i.args) for i in reversed(instructions) if i.keyword == "CMD" and i.stage == final), [])
    final_base = next(i.args for i in instructions if i.keyword == "FROM" and i.stage == final)
    if not final_base.startswith("swift") and "--static-swift-stdlib" not in words:
        problems.append(f"the runtime image {final_base} has no Swift runtime: build with --static-swift-stdlib")
    binaries = {}
    for copy in copies(instructions):
        if copy.instruction.stage != final or copy.from_stage is None:
            continue
        producer = [i.args for i in instructions if i.stage == stages.get(copy.from_stage) and i.keyword == "RUN"]
        for source in copy.sources:
            if copy.from_stage in stages and not any(source in run for run in producer):
                problems.append(f"line {copy.instruction.line}: no RUN of stage {copy.from_stage} makes {source}")
            binaries[posixpath.join(copy.dest_path, posixpath.basename(source)) if copy.dest_is_directory else copy.dest_path] = source
    program = entrypoint[0] if entrypoint else (command[0] if command else "")
    on_path = {posixpath.join(d, program) for d in ("/usr/local/bin", "/usr/bin", "/bin")}
    if program not in binaries and not on_path & set(binaries):
        problems.append(f"the entry point {program!r} is not a binary the runtime stage copies from a build stage")
    arguments = entrypoint[1:] + command if entrypoint else command[1:]

    policy_option = option(arguments, "--policy")
    policy_spots = {}
    for path in files_under(repo, "policies"):
        spot = landing_in_stage(instructions, final, path, repo)
        if spot is None:
            problems.append(f"{path} is not copied into the runtime image")
        policy_spots[path] = spot
    for policy in shipped_policies(repo):
        if policy_spots.get(policy) is None:
            continue
        for reference in policy_references((repo / policy).read_text()):
            source = posixpath.normpath(posixpath.join(posixpath.dirname(policy), reference))
            want = posixpath.normpath(posixpath.join(posixpath.dirname(policy_spots[policy]), reference))
            if policy_spots.get(source) != want:
                problems.append(f"{policy} names {reference}: it must be at {want} in the image, but is "
                                + (f"at {policy_spots[source]}" if policy_spots.get(source) else "not copied"))
    if policy_option is None:
        problems.append("the default command names no --policy")
    elif policy_option not in policy_spots.values():
        problems.append(f"the default command's --policy {policy_option} is not a policy the image copies")

    # The user, the volume, the home and the health check.
    user = next((i.args for i in reversed(instructions) if i.keyword == "USER" and i.stage == final), "root")
    if user.split(":")[0] in ("root", "0"):
        problems.append("the runtime image runs as root")
    volumes = set()
    for instruction in instructions:
        if instruction.keyword == "VOLUME" and instruction.stage == final:
            volumes.update(exec_form(instruction.args))
    home = env_values(instructions, final).get("HOME")
    if home not in volumes:
        problems.append(f"HOME ({home}), where a postgres:// ledger spools, is not a VOLUME ({sorted(volumes)})")
    ledger = option(arguments, "--ledger") or ""
    if "://" not in ledger and posixpath.dirname(ledger) not in volumes:
        problems.append(f"the default command's --ledger {ledger} is not on a VOLUME ({sorted(volumes)})")
    health = [i for i in instructions if i.keyword == "HEALTHCHECK" and i.stage == final]
    if not health:
        problems.append("the runtime image has no HEALTHCHECK")
    else:
        check = re.search(r"\bCMD\b(.*)$", health[-1].args)
        check_words = exec_form(check.group(1)) if check else []
        tool = check_words[0] if check_words else ""
        installed = " ".join(i.args for i in instructions if i.keyword == "RUN" and i.stage == final)
        if tool in ("curl", "wget") and not re.search(r"apt-get\s+install\b[^&;]*\b%s\b" % tool, installed):
            problems.append(f"the HEALTHCHECK runs {tool}, which the runtime stage does not install")
        url = next((w for w in check_words if "://" in w), "")
        port = option(arguments, "--port")
        if not re.search(r":%s/healthz$" % re.escape(port or "8787"), url):
            problems.append(f"the HEALTHCHECK asks {url!r}, not /healthz on the served port {port}")
    return problems


# ---- .dockerignore ----------------------------------------------------------------------------


@dataclass
class IgnorePattern:
    text: str
    negated: bool
    regex: re.Pattern


def ignore_patterns(text: str) -> list[IgnorePattern]:
    """The patterns of a .dockerignore, compiled as Docker's pattern matcher compiles them: `*` and
    `?` within one path segment, `**` across segments (`**/` may match nothing), character classes,
    `!` to take an exclusion back; a leading `/` is dropped and the pattern cleaned."""
    patterns = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        negated = line.startswith("!")
        if negated:
            line = line[1:].strip()
        line = posixpath.normpath(line)
        if len(line) > 1 and line.startswith("/"):
            line = line[1:]
        regex, i = "^", 0
        while i < len(line):
            c = line[i]
            if line.startswith("**", i):
                i += 2
                if line.startswith("/", i):
                    i += 1
                regex += ".*" if i >= len(line) else "(.*/)?"
                continue
            if c == "*":
                regex += "[^/]*"
            elif c == "?":
                regex += "[^/]"
            elif c == "\\" and i + 1 < len(line):
                i += 1
                regex += re.escape(line[i])
            elif c in ".+()|{}$^":
                regex += "\\" + c
            else:
                regex += c
            i += 1
        patterns.append(IgnorePattern(raw.strip(), negated, re.compile(regex + "$")))
    return patterns


def ignored(patterns: list[IgnorePattern], path: str) -> bool:
    """Whether Docker leaves `path` out of the build context: the last pattern that matches the
    path or one of its parent directories decides."""
    parents = [path.rsplit("/", n)[0] for n in range(path.count("/"), 0, -1)]
    verdict = False
    for pattern in patterns:
        if pattern.negated != verdict:
            continue
        if pattern.regex.match(path) or any(pattern.regex.match(parent) for parent in parents):
            verdict = not pattern.negated
    return verdict


def dockerignore_problems(ignore_text: str, needed: list[str]) -> list[str]:
    patterns = ignore_patterns(ignore_text)
    problems = [f"{path} is needed but .dockerignore leaves it out" for path in needed if ignored(patterns, path)]
    for junk in (".git/HEAD", ".build/release/sluice", ".build-linux/x", ".venv/bin/python", "test-output/x.png",
                 ".sluice/ledger.sqlite", "ledger.sqlite", "ledger.sqlite-wal", "policies/ledger.sqlite-shm"):
        if not ignored(patterns, junk):
            problems.append(f"{junk} should be left out of the build context, but .dockerignore keeps it")
    return problems


def image_inputs(dockerfile: str, repo: Path = REPO) -> list[str]:
    """Everything the Dockerfile takes from the build context: the build's inputs, the policies,
    and each source it names."""
    needed, _ = build_inputs(repo, read("Package.swift"))
    needed += files_under(repo, "policies")
    for copy in copies(dockerfile_instructions(dockerfile)):
        if copy.from_stage is None:
            needed += [posixpath.normpath(s.lstrip("/")) for s in copy.sources if not has_glob(s)]
    return sorted(set(needed))


# ---- deploy/compose.yaml and deploy/nginx.conf ------------------------------------------------


def yaml_children(lines: list[str]) -> dict[str, list[str]]:
    """The keys of one level of a block-style YAML mapping, each with its lines below it; a key's
    inline value is its first line. Enough for a compose file written in block style."""
    meaningful = [l for l in lines if l.strip() and not l.lstrip().startswith("#")]
    if not meaningful:
        return {}
    indent = min(len(l) - len(l.lstrip(" ")) for l in meaningful)
    children: dict[str, list[str]] = {}
    current = None
    for line in meaningful:
        if len(line) - len(line.lstrip(" ")) == indent:
            match = re.match(r"\s*([\w.-]+)\s*:\s*(.*)$", line)
            current = match.group(1) if match else None
            if current is not None:
                children[current] = [match.group(2)]
        elif current is not None:
            children[current].append(line)
    return children


def yaml_list(value: list[str]) -> list[str]:
    """A block list (`- item` lines) or a flow list (`[a, b]`), unquoted."""
    inline = re.sub(r"\s+#.*$", "", value[0]).strip()
    items = inline[1:-1].split(",") if inline.startswith("[") else [l.strip()[1:] for l in value[1:] if l.strip().startswith("-")]
    return [item.strip().strip("\"'") for item in items if item.strip()]


def yaml_scalar(value: list[str] | None) -> str:
    return re.sub(r"\s+#.*$", "", value[0]).strip().strip("\"'") if value else ""


def compose_services(text: str) -> dict[str, dict[str, list[str]]]:
    top = yaml_children(text.splitlines())
    return {name: yaml_children(lines[1:]) for name, lines in yaml_children(top.get("services", [""])[1:]).items()}


def compose_problems(compose: str, nginx: str, deploy: Path = DEPLOY, dockerfile: str | None = None) -> list[str]:
    problems = []
    services = compose_services(compose)
    top = yaml_children(compose.splitlines())
    declared_volumes = set(yaml_children(top.get("volumes", [""])[1:]))

    # (d) Files the compose file names: bind mounts, build contexts and their Dockerfiles.
    sluices, balancers = [], []
    for name, service in services.items():
        for volume in yaml_list(service.get("volumes", [""])):
            source = volume.split(":")[0]
            if source.startswith((".", "/")):
                if not (deploy / source).exists():
                    problems.append(f"{name} mounts {source}, which does not exist beside the compose file")
            elif source not in declared_volumes:
                problems.append(f"{name} mounts the volume {source}, which the compose file does not declare")
        if "build" in service:
            build = yaml_children(service["build"][1:])
            context = yaml_scalar(build.get("context")) or yaml_scalar(service["build"])
            file = yaml_scalar(build.get("dockerfile")) or "Dockerfile"
            if not (deploy / context / file).is_file():
                problems.append(f"{name} builds {file} in {context}, which does not exist")
            elif (deploy / context).resolve() == REPO and file == "Dockerfile":
                sluices.append(name)
        if yaml_scalar(service.get("image")).startswith("nginx"):
            balancers.append(name)
    if len(sluices) != 2:
        problems.append(f"expected two gateways built from the repository's Dockerfile, found {sluices}")
    if len(balancers) != 1:
        problems.append(f"expected one nginx balancer, found {balancers}")

    # Both gateways on one database: the compose file's own PostgreSQL 15, with its credentials.
    urls, ports, homes = {}, {}, {}
    instructions = dockerfile_instructions(dockerfile or read("Dockerfile"))
    home = env_values(instructions, instructions[-1].stage).get("HOME") if instructions else None
    for name in sluices:
        service = services[name]
        command = yaml_list(service.get("command", [""]))
        ledger = option(command, "--ledger") or ""
        if not re.match(r"postgres(ql)?://", ledger):
            problems.append(f"{name} does not use a postgres:// ledger: {ledger!r}")
        urls[name] = ledger
        ports[name] = option(command, "--port") or "8787"
        if option(command, "--host") != "0.0.0.0":
            problems.append(f"{name} does not listen on 0.0.0.0, so the balancer cannot reach it")
        depends = yaml_children(service.get("depends_on", [""])[1:])
        environment = {k: yaml_scalar(v) for k, v in yaml_children(service.get("environment", [""])[1:]).items()}
        if environment.get("SLUICE_ADMIN_TOKEN") != "${SLUICE_ADMIN_TOKEN:-}":
            problems.append(f"{name} must take SLUICE_ADMIN_TOKEN from the environment as ${{SLUICE_ADMIN_TOKEN:-}}")
        mounts = {v.split(":")[1]: v.split(":")[0] for v in yaml_list(service.get("volumes", [""])) if ":" in v}
        homes[name] = mounts.get(home or "")
        if homes[name] is None:
            problems.append(f"{name} keeps no volume at its home {home}, where its spool goes")
        url = re.match(r"postgres(?:ql)?://([^:@/]+):([^@/]*)@([^:/]+)(?::(\d+))?/([^?]+)", ledger)
        if url:
            host = url.group(3)
            database = services.get(host)
            if database is None:
                problems.append(f"{name}'s ledger names the host {host}, which is no service here")
                continue
            if not yaml_scalar(database.get("image")).startswith("postgres:15"):
                problems.append(f"{host} is not PostgreSQL 15 ({yaml_scalar(database.get('image'))})")
            env = {k: yaml_scalar(v) for k, v in yaml_children(database.get("environment", [""])[1:]).items()}
            wanted = (env.get("POSTGRES_USER"), env.get("POSTGRES_PASSWORD"), env.get("POSTGRES_DB"))
            if (url.group(1), url.group(2), url.group(5)) != wanted:
                problems.append(f"{name}'s ledger URL does not match {host}'s user, password and database")
            if "pg_isready" not in " ".join(database.get("healthcheck", [])):
                problems.append(f"{host} has no pg_isready health check")
            if host not in depends or "service_healthy" not in " ".join(depends[host]):
                problems.append(f"{name} does not wait for {host} to be healthy")
    if len(set(urls.values())) > 1:
        problems.append(f"the gateways use different ledgers: {urls}")
    if len(set(homes.values())) != len(homes):
        problems.append(f"the gateways share a home volume: {homes}")

    # The balancer: one published port, nginx listening on it, both gateways in its upstream.
    for name, service in services.items():
        if "ports" in service and name not in balancers:
            problems.append(f"{name} publishes a port: only the balancer should")
    for name in balancers:
        published = yaml_list(services[name].get("ports", [""]))
        if published != ["8787:8787"]:
            problems.append(f"{name} publishes {published}, not 8787:8787")
        mounts = [v for v in yaml_list(services[name].get("volumes", [""])) if v.split(":")[0].endswith("nginx.conf")]
        if not mounts:
            problems.append(f"{name} does not mount nginx.conf")
    problems += nginx_problems(nginx, {(name, ports[name]) for name in sluices})
    return problems


def nginx_problems(nginx: str, gateways: set[tuple[str, str]]) -> list[str]:
    problems = []
    text = re.sub(r"#[^\n]*", "", nginx)
    upstreams = {m.group(1): m.group(2) for m in re.finditer(r"\bupstream\s+(\S+)\s*\{([^}]*)\}", text)}
    if len(upstreams) != 1:
        return [f"nginx.conf should have one upstream block, has {sorted(upstreams)}"]
    (name, body), = upstreams.items()
    servers = set(re.findall(r"^\s*server\s+([^\s:;]+):(\d+)", body, re.M))
    if servers != gateways:
        problems.append(f"nginx's upstream lists {sorted(servers)}, not the gateways {sorted(gateways)}")
    if not re.search(r"^\s*keepalive\s+\d+\s*;", body, re.M):
        problems.append("nginx keeps no connections to the gateways alive (keepalive)")
    if not re.search(r"^\s*listen\s+8787\s*;", text, re.M):
        problems.append("nginx does not listen on 8787")
    for wanted in (f"proxy_pass http://{name}", "proxy_http_version 1.1", 'proxy_set_header Connection ""',
                   "proxy_buffering off", "proxy_request_buffering off", "client_max_body_size 32m"):
        if not re.search(r"^\s*%s\s*;" % r"\s+".join(map(re.escape, wanted.split())), text, re.M):
            problems.append(f"nginx.conf lacks `{wanted};`")
    timeout = re.search(r"^\s*proxy_read_timeout\s+(\d+)s\s*;", text, re.M)
    if not timeout or int(timeout.group(1)) < 600:
        problems.append("nginx.conf lacks a proxy_read_timeout of at least 600s for long streams")
    return problems


# ---- The tests --------------------------------------------------------------------------------


def summary(problems: list[str]) -> str:
    return "\n".join(problems[:20]) + (f"\n... and {len(problems) - 20} more" if len(problems) > 20 else "")


def test_the_dockerfile_copies_what_the_build_and_the_policies_need():
    problems = dockerfile_problems(read("Dockerfile"))
    assert problems == [], summary(problems)


def test_the_shipped_policies_name_files_that_exist():
    assert policy_references(read("policies/default.yaml")) == ["models/next-move.json", "prices.yaml"]
    problems = policy_reference_problems(REPO)
    assert problems == [], summary(problems)


def test_dockerignore_keeps_nothing_needed_out_and_the_rest_out():
    problems = dockerignore_problems(read(".dockerignore"), image_inputs(read("Dockerfile")))
    assert problems == [], summary(problems)


def test_the_compose_file_runs_two_gateways_on_one_database_behind_one_port():
    problems = compose_problems(read("deploy/compose.yaml"), read("deploy/nginx.conf"))
    assert problems == [], summary(problems)


# Each check must be able to fail: the same checks on deliberately broken files.


def test_the_parser_joins_continuations_and_reads_flags_and_json_forms():
    instructions = dockerfile_instructions(
        "# syntax comment\nFROM swift:6.3-noble AS build\nWORKDIR /src\nWORKDIR sub\n"
        "COPY --chown=1:1 \\\n  # a comment inside\n  Sources \\\n\n  Package.swift ./\n"
        'COPY ["policies", "/etc/p"]\nFROM ubuntu:noble\nCOPY --from=build /a/b /usr/local/bin/\n')
    found = copies(instructions)
    assert [(c.sources, c.dest, c.instruction.workdir, c.from_stage) for c in found] == [
        (["Sources", "Package.swift"], "./", "/src/sub", None),
        (["policies"], "/etc/p", "/src/sub", None),
        (["/a/b"], "/usr/local/bin/", "/", "build"),
    ]
    assert found[0].flags == {"chown": "1:1"} and found[0].instruction.stage_name == "build"
    assert landing(found[0], "Sources/sluice/SluiceCommand.swift", REPO) == "/src/sub/sluice/SluiceCommand.swift"
    assert landing(found[0], "Package.swift", REPO) == "/src/sub/Package.swift"
    assert landing(found[1], "policies/models/next-move.json", REPO) == "/etc/p/models/next-move.json"
    assert landing(found[1], "Tests/sdk/policy.yaml", REPO) is None


def test_a_dockerfile_without_sources_is_caught():
    broken = read("Dockerfile").replace("COPY Sources ./Sources\n", "")
    assert broken != read("Dockerfile")
    problems = dockerfile_problems(broken)
    assert "Sources/sluice/SluiceCommand.swift must be at /src/Sources/sluice/SluiceCommand.swift for swift build, but is not copied" in problems


def test_sources_copied_to_the_wrong_place_are_caught():
    broken = read("Dockerfile").replace("COPY Sources ./Sources\n", "COPY Sources ./\n")
    problems = dockerfile_problems(broken)
    assert any(p.startswith("Sources/sluice/SluiceCommand.swift must be at /src/Sources/") and "/src/sluice/" in p for p in problems)


def test_a_dockerfile_without_the_test_targets_is_caught():
    problems = dockerfile_problems(read("Dockerfile").replace("COPY Tests ./Tests\n", ""))
    assert any(p.startswith("Tests/SluiceRoutingTests/Fixtures must be at") for p in problems), summary(problems)
    assert not any(p.startswith("Tests/sdk") for p in problems)


def test_a_copy_of_a_missing_path_and_a_missing_stage_are_caught():
    broken = read("Dockerfile").replace("COPY Tests ./Tests\n", "COPY Tests ./Tests\nCOPY Nowhere ./Nowhere\n")
    broken = broken.replace("--from=build /staging/sluice", "--from=builder /staging/sluice")
    problems = dockerfile_problems(broken)
    assert any("COPY Nowhere: no such path" in p for p in problems)
    assert any("--from=builder names no stage" in p for p in problems)


def test_a_runtime_image_without_what_the_policies_name_is_caught():
    broken = read("Dockerfile").replace("COPY policies /etc/sluice/policies\n", "COPY policies/default.yaml /etc/sluice/policies/\n")
    problems = dockerfile_problems(broken)
    assert "policies/prices.yaml is not copied into the runtime image" in problems
    assert ("policies/default.yaml names models/next-move.json: it must be at "
            "/etc/sluice/policies/models/next-move.json in the image, but is not copied") in problems


def test_a_health_check_with_a_tool_the_image_lacks_is_caught():
    broken = read("Dockerfile").replace("ca-certificates curl tzdata", "ca-certificates tzdata")
    assert "the HEALTHCHECK runs curl, which the runtime stage does not install" in dockerfile_problems(broken)
    on_root = read("Dockerfile").replace("USER sluice\n", "")
    assert "the runtime image runs as root" in dockerfile_problems(on_root)


def test_a_target_the_dockerfile_does_not_copy_is_caught():
    package = read("Package.swift")
    extra = package.replace(
        '.target(name: "SluiceWire"),',
        '.target(name: "SluiceWire"),\n        .target(name: "Scan", path: "Benchmarks/ScannerBenchmark"),\n'
        '        .target(name: "Ghost", resources: [.copy("Data")]),', 1)
    assert extra != package
    problems = dockerfile_problems(read("Dockerfile"), package_text=extra)
    assert "Benchmarks/ScannerBenchmark/main.swift must be at /src/Benchmarks/ScannerBenchmark/main.swift for swift build, but is not copied" in problems
    assert "target Ghost: its directory Sources/Ghost does not exist" in problems
    unguarded = package + '\npackage.targets.append(.executableTarget(name: "Fuzzy", path: "Fuzz/RequestPathFuzz"))\n'
    problems = dockerfile_problems(read("Dockerfile"), package_text=unguarded)
    assert any(p.startswith("target Fuzzy is appended to the package outside") for p in problems)
    assert "Fuzz/RequestPathFuzz/main.swift must be at /src/Fuzz/RequestPathFuzz/main.swift for swift build, but is not copied" in problems


def test_package_targets_are_read_with_their_paths_and_resources():
    targets = {t.name: t for t in package_targets(read("Package.swift"))}
    assert targets["sluice"].path == "Sources/sluice" and targets["sluice"].declared_in_package_call
    assert targets["SluiceRoutingTests"].path == "Tests/SluiceRoutingTests"
    assert targets["SluiceRoutingTests"].resources == ["Fixtures"]
    assert "Yams" not in targets  # a product named inside a target's dependencies is no target
    for conditional in ("ScannerBenchmark", "RequestPathFuzz"):
        assert not targets[conditional].declared_in_package_call and targets[conditional].guarded_by_environment


def test_a_policy_naming_a_missing_file_is_caught():
    policies = {"policies/x.yaml": "version: 1\nprices: missing.yaml   # here\nnext_move_model: ../models/next-move.json\n"
                                  "models:\n  a:\n    prices: nested.yaml\n"}
    assert policy_references(policies["policies/x.yaml"]) == ["missing.yaml", "../models/next-move.json"]
    problems = policy_reference_problems(REPO, policies)
    assert "policies/x.yaml names missing.yaml, but policies/missing.yaml does not exist" in problems
    assert "policies/x.yaml names ../models/next-move.json, but models/next-move.json does not exist" in problems
    assert policy_references("prices:\n  models: {}\n") == []


def test_the_dockerignore_matcher_follows_dockers_rules():
    patterns = ignore_patterns("/.build\n**/*.sqlite*\nTests/*\n!Tests/Keep\ndocs/**\n!docs/keep.md\n*.m?\n[ab].txt\n")
    assert ignored(patterns, ".build/release/sluice") and not ignored(patterns, "Sources/.build")
    assert ignored(patterns, "ledger.sqlite") and ignored(patterns, "a/b/ledger.sqlite-wal")
    assert ignored(patterns, "Tests/X/y.swift") and not ignored(patterns, "Tests/Keep/y.swift")
    assert ignored(patterns, "docs/a.md") and not ignored(patterns, "docs/keep.md")
    assert ignored(patterns, "x.md") and not ignored(patterns, "sub/x.md") and not ignored(patterns, "x.mdx")
    assert ignored(patterns, "a.txt") and not ignored(patterns, "c.txt")


def test_a_dockerignore_that_leaves_out_a_needed_file_is_caught():
    needed = image_inputs(read("Dockerfile"))
    problems = dockerignore_problems(read(".dockerignore") + "policies/models\nTests/*/Fixtures\n", needed)
    assert "policies/models/next-move.json is needed but .dockerignore leaves it out" in problems
    assert "Tests/SluiceRoutingTests/Fixtures/.keep is needed but .dockerignore leaves it out" in problems
    problems = dockerignore_problems(".build\n", needed)
    assert ".venv/bin/python should be left out of the build context, but .dockerignore keeps it" in problems


def test_a_compose_file_with_two_ledgers_or_a_missing_file_is_caught():
    compose, nginx = read("deploy/compose.yaml"), read("deploy/nginx.conf")
    url = "postgres://sluice:sluice@postgres:5432/sluice"
    first = compose.index(url) + len(url)
    two_ledgers = compose[:first] + compose[first:].replace(url, "postgres://sluice:sluice@postgres:5432/other", 1)
    problems = compose_problems(two_ledgers, nginx)
    assert any(p.startswith("the gateways use different ledgers") for p in problems), summary(problems)
    assert "sluice-2's ledger URL does not match postgres's user, password and database" in problems
    missing = compose_problems(compose.replace("./nginx.conf:", "./nginx-missing.conf:"), nginx)
    assert any("mounts ./nginx-missing.conf, which does not exist" in p for p in missing)
    elsewhere = compose_problems(compose.replace("context: ..", "context: ../nowhere"), nginx)
    assert any("builds Dockerfile in ../nowhere, which does not exist" in p for p in elsewhere)
    one_gateway = compose_problems(compose, nginx.replace("server sluice-2:8787 resolve;", ""))
    assert any(p.startswith("nginx's upstream lists [('sluice-1', '8787')], not the gateways") for p in one_gateway)
    buffered = compose_problems(compose, nginx.replace("proxy_buffering off;", "proxy_buffering on;"))
    assert "nginx.conf lacks `proxy_buffering off;`" in buffered
    short = compose_problems(compose, nginx.replace("proxy_read_timeout 3600s;", "proxy_read_timeout 60s;"))
    assert "nginx.conf lacks a proxy_read_timeout of at least 600s for long streams" in short
    shared_home = compose_problems(compose.replace("sluice-2-home:/var/lib/sluice", "sluice-1-home:/var/lib/sluice"), nginx)
    assert any(p.startswith("the gateways share a home volume") for p in shared_home)


def test_the_compose_reader_sees_services_and_their_fields():
    services = compose_services(read("deploy/compose.yaml"))
    assert set(services) == {"postgres", "sluice-1", "sluice-2", "balancer"}
    assert yaml_scalar(services["postgres"]["image"]) == "postgres:15"
    assert option(yaml_list(services["sluice-1"]["command"]), "--ledger") == "postgres://sluice:sluice@postgres:5432/sluice"
    assert yaml_list(["[serve, --port, \"8787\"]"]) == ["serve", "--port", "8787"]
