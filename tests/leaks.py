"""Does a workbook give an exercise's answer away? The leak check of the workbook.

The workbook (``lstm_lesson.workbook``) replaces each solution by a stub; the
chapter around it stays. This module looks, in every cell of a workbook copy
(code, Markdown and what the cells print), for what the chapter's solutions
and the package's source would give away. Run it on a folder of chapters:

    .venv/bin/python tests/leaks.py notebooks/            # the chapters as they are
    .venv/bin/python tests/leaks.py /tmp/old-chapters/    # e.g. from git show

What is secret, per chapter (the *secrets*):

* **solution lines**: each statement of a solution's code (gated between
  ``{solution-start}`` and ``{solution-end}``), normalised by ``ast.unparse``,
  with at least two operations (calls, arithmetic, subscripts, comparisons,
  comprehensions): ``c_t = f * c_prev + i * c_tilde``, not ``return h, c``;
* **key expressions**: what each solution function returns and assigns (a step
  on the way needs three operations), with its local names replaced by what they hold (``squashed = h / o`` then
  ``np.arctanh(squashed)`` gives ``np.arctanh(h / o)``), and the same for the
  reference each checker compares with (``_carried`` in ``checks/sequence.py``
  holds ``np.prod([step['f'] for step in cache], axis=0)``);
* **package source**: the lines and key expressions of every function whose
  source the chapter shows (``show_source``), from the chapter's stored output;
* **predictions**: the number a predict exercise's solution writes
  (``my_prediction = -0.671``), when it has three significant digits or more;
* **solution prose**: any run of 8 words of a written exercise's
  ``{solution}`` dropdown or of prose inside a solution's gates.

Where they are looked for, in the workbook copy:

* code cells, and code in Markdown (inline ``code`` and fenced blocks): a
  solution or package line as a statement; a key expression as an expression
  of the same shape, where a name or number may stand for any sub-expression
  (``np.arctanh(0.5 / gate)`` has the shape of ``np.arctanh(write /
  sigmoid(b_i))``), at least two operations matching;
* all text (Markdown and printed output): a line with its spaces removed,
  and a key expression written compactly (no spaces, no ``*``, no ``np.``,
  LaTeX spacing dropped: ``4 * H * (H + D) + 4 * H`` is ``4H(H+D)+4H``) in
  the cells from the exercise on;
* a prediction: any number that rounds to it, in Markdown, and in code and
  output before the exercise's checker (the cell after the checker runs the
  code on purpose);
* solution prose: in Markdown and output.

Not secret: code the chapter gives for a find-the-bug exercise (a function
defined outside the solutions and named in a ``kind-debug`` exercise's text),
which shares lines with its fix on purpose.

What the cells print is taken from a run of the workbook when one is given,
else from the chapter's stored output of each cell that the workbook keeps
unchanged (what the reader's run would print: nbval checks that stored
outputs are what a run prints); checker cells and cells changed by the
workbook print nothing then.
"""

from __future__ import annotations

import ast
import inspect
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from lstm_lesson.answers import SOLUTION_BLOCK as _SOLUTION  # noqa: E402
from lstm_lesson.workbook import _EXERCISE_BLOCK as _EXERCISE, strip_notebook  # noqa: E402

#: Nodes that count as one operation of an expression.
OPERATIONS = (ast.Call, ast.BinOp, ast.UnaryOp, ast.Subscript, ast.Compare, ast.BoolOp,
              ast.ListComp, ast.GeneratorExp, ast.SetComp, ast.DictComp, ast.IfExp)
#: A key expression or line must have at least this many operations to be a secret.
MIN_OPERATIONS = 2
#: ... and a step on the way (what a solution assigns, not what it returns) one more:
#: ``softmax(logits[t])`` on the way to a saliency is an idiom, not the answer.
MIN_STEP_OPERATIONS = 3
#: Words in a row that make a copy of a solution's prose.
SHINGLE = 8

_GATE_START = re.compile(r"\{solution-start\}\s*(\S+)")
_GATE_END = re.compile(r"\{solution-end\}")
_LABEL = re.compile(r"^:label:\s*(\S+)", re.M)
_KIND = re.compile(r"^:class:.*\bkind-(\w+)", re.M)
_CHECK_CALL = re.compile(r"^\s*(check_\w+)\(", re.M)
_FENCED = re.compile(r"^(`{3,})[^\n]*\n(.*?)^\1\s*$", re.M | re.S)
_INLINE = re.compile(r"(?<!`)`([^`\n]+)`(?!`)")
_NUMBER = re.compile(r"(?<![\w.])[-−]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")


# -- secrets ----------------------------------------------------------------------

@dataclass(frozen=True)
class Secret:
    """Something a workbook must not hold, and where it comes from."""

    label: str  # the exercise (or, for package source, the function shown)
    kind: str  # "solution line", "key expression", "package source", "prediction", "solution prose"
    text: str  # as reported
    value: object = None  # a statement's text, an expression tree, a number, a word tuple
    operations: int = MIN_OPERATIONS  # how many must match, for an expression


@dataclass
class Exercise:
    label: str
    kind: str | None
    cell: int  # the chapter's cell of the {exercise}
    checker: int | None = None  # the chapter's cell of its checker call
    solution: list = field(default_factory=list)  # solution code cells' sources
    prose: list = field(default_factory=list)  # solution Markdown (dropdown or gated)
    checkers: list = field(default_factory=list)  # check_* names called after it


def operations(node) -> int:
    return sum(isinstance(n, OPERATIONS) for n in ast.walk(node))


def exercises_of(nb) -> list[Exercise]:
    """Every exercise of a chapter with its solution, checker and position."""
    found, by_label, gate = [], {}, None
    for k, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            for block in _EXERCISE.finditer(cell.source):
                label = _LABEL.search(block["body"])
                kind = _KIND.search(block["body"])
                exercise = Exercise(label[1] if label else f"cell-{k}", kind and kind[1], k)
                found.append(exercise)
                by_label[exercise.label] = exercise
            for block in _SOLUTION.finditer(cell.source):
                if block["label"] in by_label:
                    by_label[block["label"]].prose.append(block["body"])
            start = _GATE_START.search(cell.source)
            if start:
                gate = by_label.get(start[1]) or (found[-1] if found else None)
                continue
            if _GATE_END.search(cell.source):
                gate = None
                continue
            if gate is not None:
                gate.prose.append(cell.source)
        elif cell.cell_type == "code":
            if gate is not None:
                gate.solution.append(cell.source)
            elif found:
                names = _CHECK_CALL.findall(cell.source)
                if names and found[-1].checker is None:
                    found[-1].checker = k
                found[-1].checkers += [n for n in names if n not in found[-1].checkers]
    return found


def _statements(tree):
    """Every simple statement in ``tree``, at any depth (bodies of defs, loops, ifs)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.stmt) and not isinstance(
                node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.For, ast.While,
                       ast.If, ast.With, ast.Try, ast.Import, ast.ImportFrom)):
            yield node


def _is_docstring(node):
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) \
        and isinstance(node.value.value, str)


#: Calls that only check or convert an argument, and the argument they return
#: (``np.asarray(write, dtype=float)`` is ``write`` in a key expression).
PASS_THROUGH = {"np.asarray": 0, "np.asanyarray": 0, "as_float_array": 1, "expect": 1}


class _Inline(ast.NodeTransformer):
    def __init__(self, env):
        self.env = env

    def visit_Name(self, node):
        if isinstance(node.ctx, ast.Load) and node.id in self.env:
            return self.env[node.id]
        return node

    def visit_Call(self, node):
        self.generic_visit(node)
        position = PASS_THROUGH.get(ast.unparse(node.func))
        if position is not None and len(node.args) > position:
            return node.args[position]
        return node


def _assigned_once(body):
    """Names assigned exactly once, at the top of a function's body (not in loops)."""
    counts = {}
    for node in ast.walk(ast.Module(body=body, type_ignores=[])):
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign, ast.For)):
            targets = [node.target]
        for target in targets:
            for name in ast.walk(target):
                if isinstance(name, ast.Name):
                    counts[name.id] = counts.get(name.id, 0) + 1
    return {name for name, count in counts.items() if count == 1}


def key_expressions(function) -> list:
    """(expression, operations to match) for what a function returns and assigns,
    its local names replaced by their values."""
    import copy

    body = [node for node in function.body if not _is_docstring(node)]
    once, env, found = _assigned_once(body), {}, []

    def inline(expr):
        return _Inline(env).visit(copy.deepcopy(expr))

    for node in body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
            pairs = [(target, value)]
            if isinstance(target, ast.Tuple) and isinstance(value, ast.Tuple) \
                    and len(target.elts) == len(value.elts):
                pairs = list(zip(target.elts, value.elts))
            for name, expr in pairs:
                expr = inline(expr)
                found.append((expr, MIN_STEP_OPERATIONS))
                # A plain alias (D, H = input_size, hidden_size) is not inlined:
                # the short name is the one a text would use.
                if isinstance(name, ast.Name) and name.id in once \
                        and not isinstance(expr, (ast.Name, ast.Constant)):
                    env[name.id] = expr
        elif isinstance(node, ast.Return) and node.value is not None:
            value = inline(node.value)
            found += [(e, MIN_OPERATIONS) for e in
                      (value.elts if isinstance(value, ast.Tuple) else [value])]
    return [(expr, need) for expr, need in found if operations(expr) >= need]


def _code_secrets(source, label, kinds=("solution line", "key expression")):
    """Lines and key expressions of a piece of code (a solution, a package function)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    secrets = []
    line_kind, expr_kind = kinds
    for node in _statements(tree):
        if _is_docstring(node) or operations(node) < MIN_OPERATIONS:
            continue
        if isinstance(node, ast.Raise):
            continue
        text = ast.unparse(node)
        secrets.append(Secret(label, line_kind, text, text))
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for expr, need in key_expressions(node):
                secrets.append(Secret(label, expr_kind, ast.unparse(expr), expr, need))
    return secrets


def _prediction_secrets(source, label):
    """A number assigned at the top level of a solution (a predict exercise's answer)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    found = []
    for node in tree.body:
        if isinstance(node, ast.Assign):
            try:
                value = ast.literal_eval(node.value)
            except ValueError:
                continue
            if isinstance(value, (int, float)) and not isinstance(value, bool) \
                    and _significant(repr(value)) >= 3:
                found.append(Secret(label, "prediction", ast.unparse(node), value))
    return found


def _significant(text) -> int:
    digits = re.sub(r"[eE].*$", "", text).replace("-", "").replace("−", "")
    digits = digits.replace(".", "").lstrip("0")
    return len(digits.rstrip("0")) if "." not in text else len(digits)


def reference_sources(checker_name) -> list[tuple[str, str]]:
    """(name, source) of the reference functions a checker compares with.

    The private functions of the checker's module whose docstring starts
    "The reference" and that the checker's code names.
    """
    try:
        from lstm_lesson import checks
    except ImportError:  # pragma: no cover
        return []
    checker = getattr(checks, checker_name, None)
    if checker is None:
        return []
    module = inspect.getmodule(checker)
    names, stack = set(), [checker.__code__]
    while stack:
        code = stack.pop()
        names.update(code.co_names)
        stack += [c for c in code.co_consts if inspect.iscode(c)]
    found = []
    for name in sorted(names):
        obj = getattr(module, name, None)
        if inspect.isfunction(obj) and obj.__module__ == module.__name__ \
                and (obj.__doc__ or "").startswith("The reference"):
            found.append((f"{module.__name__}.{name}", inspect.getsource(obj)))
    return found


def _shown_sources(nb):
    """(name, source) of each function the chapter shows with show_source."""
    found = []
    for cell in nb.cells:
        if cell.cell_type != "code" or "show_source(" not in cell.source:
            continue
        for output in cell.get("outputs", []):
            text = output.get("data", {}).get("text/markdown", "")
            name = re.search(r"Source of `([^`]+)`", text)
            for _, block in _FENCED.findall(text):
                found.append((name[1] if name else "show_source", block))
    return found


def _words(text):
    """The words of prose: math, code and a directive's options left out."""
    text = re.sub(r"\$\$.*?\$\$|\$[^$]*\$|`[^`\n]*`", " ", text, flags=re.S)
    text = re.sub(r"^:\w+:.*$", "", text, flags=re.M)
    text = re.sub(r"\{[\w:-]+\}`([^`<]*)[^`]*`", r"\1", text)  # {term}`x` -> x
    return re.findall(r"[a-z0-9]+", text.lower())


def secrets_of(nb) -> list[Secret]:
    """Everything of chapter ``nb`` that its workbook must not hold."""
    secrets = []
    for exercise in exercises_of(nb):
        for source in exercise.solution:
            secrets += _code_secrets(source, exercise.label)
            secrets += _prediction_secrets(source, exercise.label)
        for name in exercise.checkers:
            for _, source in reference_sources(name):
                secrets += [s for s in _code_secrets(source, exercise.label)
                            if s.kind == "key expression"]
        for prose in exercise.prose:
            words = _words(prose)
            shingles = {tuple(words[k:k + SHINGLE]) for k in range(len(words) - SHINGLE + 1)}
            if shingles:
                secrets.append(Secret(exercise.label, "solution prose",
                                      " ".join(words[:SHINGLE]) + " ...", shingles))
    for name, source in _shown_sources(nb):
        secrets += _code_secrets(source, name, ("package source", "package source"))
    unique = {}
    for secret in secrets:
        key = (secret.label, secret.kind, secret.text)
        unique.setdefault(key, secret)
    return list(unique.values())


# -- where to look ------------------------------------------------------------------

def _leaf(node) -> bool:
    """A name, a number or a simple attribute/item (``cell.W_i``, ``p["W"]``)."""
    if isinstance(node, (ast.Name, ast.Constant)):
        return True
    if isinstance(node, ast.UnaryOp) and isinstance(node.operand, ast.Constant):
        return True
    if isinstance(node, ast.Attribute):
        return _leaf(node.value)
    if isinstance(node, ast.Subscript):
        return isinstance(node.value, ast.Name) and isinstance(node.slice, ast.Constant)
    return False


def shape_match(key, expr) -> tuple[int, int] | None:
    """(operations, calls) of ``expr`` that match ``key``; None if its shape differs.

    A leaf of ``expr`` (a name, a number) stands for any sub-expression of
    ``key``; everything else must agree: the same calls (by the name of the
    function), operators, keywords and numbers of arguments. A sign (``-x``)
    is not counted as an operation.
    """
    if _leaf(expr):
        return 0, 0
    if type(key) is not type(expr):
        return None
    own, calls = 1, 0
    if isinstance(expr, ast.Call):
        if ast.unparse(key.func) != ast.unparse(expr.func) or len(key.args) != len(expr.args) \
                or sorted(k.arg or "" for k in key.keywords) != \
                sorted(k.arg or "" for k in expr.keywords):
            return None
        pairs = list(zip(key.args, expr.args))
        keywords = {k.arg: k.value for k in key.keywords}
        pairs += [(keywords[k.arg], k.value) for k in expr.keywords]
        calls = 1
    elif isinstance(expr, ast.BinOp):
        if type(key.op) is not type(expr.op):
            return None
        pairs = [(key.left, expr.left), (key.right, expr.right)]
    elif isinstance(expr, ast.UnaryOp):
        if type(key.op) is not type(expr.op):
            return None
        pairs, own = [(key.operand, expr.operand)], 0
    elif isinstance(expr, ast.Subscript):
        pairs = [(key.value, expr.value), (key.slice, expr.slice)]
    elif isinstance(expr, ast.Compare):
        if [type(o) for o in key.ops] != [type(o) for o in expr.ops]:
            return None
        pairs = [(key.left, expr.left)] + list(zip(key.comparators, expr.comparators))
    elif isinstance(expr, (ast.List, ast.Tuple)):
        if len(key.elts) != len(expr.elts):
            return None
        pairs, own = list(zip(key.elts, expr.elts)), 0
    elif isinstance(expr, (ast.ListComp, ast.GeneratorExp)):
        if len(key.generators) != len(expr.generators):
            return None
        pairs = [(key.elt, expr.elt)] + [(a.iter, b.iter) for a, b in
                                           zip(key.generators, expr.generators)]
    elif isinstance(expr, ast.Attribute):
        if key.attr != expr.attr:
            return None
        pairs, own = [(key.value, expr.value)], 0
    elif isinstance(expr, ast.Slice):
        parts = ("lower", "upper", "step")
        if any((getattr(key, p) is None) != (getattr(expr, p) is None) for p in parts):
            return None
        pairs = [(getattr(key, p), getattr(expr, p)) for p in parts if getattr(expr, p)]
        own = 0
    else:
        return (0, 0) if ast.unparse(key) == ast.unparse(expr) else None
    for k, e in pairs:
        matched = shape_match(k, e)
        if matched is None:
            return None
        own, calls = own + matched[0], calls + matched[1]
    return own, calls


def leaks_shape(key, expr, need=MIN_OPERATIONS) -> bool:
    """``expr`` has the shape of ``key``: ``need`` operations or more, a call among them."""
    matched = shape_match(key, expr)
    return matched is not None and matched[0] >= need and matched[1] >= 1


def _nospace(text):
    return re.sub(r"\s+", "", text).replace('"', "'")


def compact(text):
    """Text or code written compactly: no spaces, ``*``, ``np.``, LaTeX spacing."""
    text = re.sub(r"\\(cdot|times|,|;|!|quad|left|right)", "", text)
    text = text.replace("np.", "").replace("**", "^").replace("*", "")
    return re.sub(r"[\s${}]+", "", text)


@dataclass
class Place:
    """One place of a workbook copy to search: a cell's code, Markdown or output."""

    cell: int
    where: str  # "code", "markdown", "output"
    text: str
    trees: list = field(default_factory=list)  # parsed code found there

    def __post_init__(self):
        # What the comparisons read, worked out once.
        self.statements = {ast.unparse(s) for tree in self.trees for s in _statements(tree)}
        self.expressions = [e for tree in self.trees for e in ast.walk(tree)
                            if isinstance(e, ast.expr) and operations(e) >= MIN_OPERATIONS]
        self.nospace = _nospace(self.text)
        self.compact = compact(self.text)
        self.words = _words(self.text) if self.where != "code" else []


def _parse(code):
    code = "\n".join(line for line in code.splitlines()
                     if not line.lstrip().startswith(("%", "!")))
    for mode in ("exec", "eval"):
        try:
            return ast.parse(code, mode=mode)
        except SyntaxError:
            continue
    return None


def _code_in_text(text):
    trees = []
    for _, block in _FENCED.findall(text):
        tree = _parse(block)
        trees += [tree] if tree is not None else []
    for span in _INLINE.findall(text):
        tree = _parse(span)
        trees += [tree] if tree is not None else []
    return trees


def _output_text(output):
    if output.get("output_type") == "stream":
        return output.get("text", "")
    if output.get("output_type") == "error":
        return f"{output.get('ename')}: {output.get('evalue')}"
    data = output.get("data", {})
    return "\n".join(str(data[m]) for m in ("text/markdown", "text/latex", "text/plain")
                     if m in data)


def places(workbook, chapter=None) -> list[Place]:
    """Every place of a workbook copy to search, outputs included.

    ``workbook`` with outputs (a run of it) is searched as it is; a workbook
    without any output borrows, for each code cell kept unchanged, the
    chapter's stored output of the same cell.
    """
    stored = {}
    ran = any(c.get("outputs") for c in workbook.cells if c.cell_type == "code")
    if chapter is not None and not ran:
        stored = {c.get("id"): c for c in chapter.cells if c.cell_type == "code"}
    found = []
    for k, cell in enumerate(workbook.cells):
        if cell.cell_type == "markdown":
            found.append(Place(k, "markdown", cell.source, _code_in_text(cell.source)))
            continue
        if cell.cell_type != "code":
            continue
        tree = _parse(cell.source)
        found.append(Place(k, "code", cell.source, [tree] if tree is not None else []))
        outputs = cell.get("outputs", [])
        original = stored.get(cell.get("id"))
        if not ran and original is not None and original.source == cell.source \
                and not _CHECK_CALL.search(cell.source):
            outputs = original.get("outputs", [])
        for output in outputs:
            text = _output_text(output)
            if text.strip():
                found.append(Place(k, "output", text, _code_in_text(text)))
    return found


# -- the search ---------------------------------------------------------------------

@dataclass
class Finding:
    """A secret found in a workbook cell: ``cell`` is that cell's index in the
    chapter (the workbook's own index, ``workbook cell``, for a cell it added)."""

    chapter: str
    secret: Secret
    cell: int
    where: str
    excerpt: str
    added: bool = False  # a cell the workbook added (an answer cell)

    def __str__(self):
        secret = self.secret.text if len(self.secret.text) <= 70 else \
            self.secret.text[:67] + "..."
        cell = f"workbook cell {self.cell}" if self.added else f"cell {self.cell}"
        return (f"{self.chapter}, {self.where} of {cell}: {self.excerpt}\n"
                f"    gives away the {self.secret.kind} of {self.secret.label}: {secret}")


def _excerpt(text, needle=None, width=100):
    text = text.strip()
    if needle:
        at = _nospace(text).find(_nospace(needle))
        if at >= 0:  # map back roughly: the line holding the start
            count, position = 0, 0
            for position, char in enumerate(text):
                if not char.isspace():
                    if count == at:
                        break
                    count += 1
            start = text.rfind("\n", 0, position) + 1
            end = text.find("\n", position)
            text = text[start:end if end >= 0 else None]
    line = " ".join(text.split())
    return line if len(line) <= width else line[:width - 3] + "..."


def _given_for_debugging(workbook, chapter):
    """Cells of code a find-the-bug exercise gives: the exercise's own text (which may
    hold the buggy code), and code cells defining a function that its text names."""
    named, ids = set(), set()
    for exercise in exercises_of(chapter):
        if exercise.kind == "debug":
            named.update(re.findall(r"`(\w+)`", chapter.cells[exercise.cell].source))
            ids.add(chapter.cells[exercise.cell].get("id"))
    given = {k for k, cell in enumerate(workbook.cells) if cell.get("id") in ids}
    for k, cell in enumerate(workbook.cells):
        if cell.cell_type == "code":
            tree = _parse(cell.source)
            defined = {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)} \
                if tree is not None else set()
            if defined & named:
                given.add(k)
    return given


def _numbers(text):
    for match in _NUMBER.finditer(text):
        token = match[0].replace("−", "-")
        try:
            yield token, float(token)
        except ValueError:
            continue


def _same_number(token, number, value) -> bool:
    if _significant(token) < 3:
        return False
    places_ = min(_significant(token), _significant(repr(value)))
    fmt = f"{{:.{places_ - 1}e}}"
    return fmt.format(abs(number)) == fmt.format(abs(value))


def find_leaks(chapter, workbook=None, name="chapter") -> list[Finding]:
    """Every secret of ``chapter`` found in its workbook copy (made if not given)."""
    if workbook is None:
        workbook = strip_notebook(chapter)
    secrets = secrets_of(chapter)
    where = places(workbook, chapter)
    given = _given_for_debugging(workbook, chapter)
    # Positions in the workbook: an exercise's heading and its checker (by cell id).
    index = {c.get("id"): k for k, c in enumerate(workbook.cells)}
    start, checker = {}, {}
    for exercise in exercises_of(chapter):
        start[exercise.label] = index.get(chapter.cells[exercise.cell].get("id"), 0)
        if exercise.checker is not None:
            checker[exercise.label] = index.get(chapter.cells[exercise.checker].get("id"))
    findings = []

    def found(secret, place, needle=None):
        findings.append(Finding(name, secret, place.cell, place.where,
                                _excerpt(place.text, needle)))

    for secret in secrets:
        for place in where:
            if place.cell in given:
                continue
            if secret.kind in ("solution line", "package source") and isinstance(secret.value, str):
                if secret.value in place.statements or (
                        place.where != "code" and _nospace(secret.value) in place.nospace):
                    found(secret, place, secret.value)
            elif secret.kind in ("key expression", "package source"):
                hit = next((e for e in place.expressions
                            if leaks_shape(secret.value, e, secret.operations)), None)
                short = compact(ast.unparse(secret.value))
                if hit is not None and place.where == "code":
                    lines = place.text.splitlines()
                    findings.append(Finding(name, secret, place.cell, place.where, _excerpt(
                        "\n".join(lines[hit.lineno - 1:hit.end_lineno]))))
                elif hit is not None:
                    found(secret, place, ast.unparse(hit))
                elif place.where != "code" and len(short) >= 10 \
                        and place.cell >= start.get(secret.label, 0) \
                        and short in place.compact:
                    line = next((line for line in place.text.splitlines()
                                 if short in compact(line)), place.text)
                    findings.append(Finding(name, secret, place.cell, place.where,
                                            _excerpt(line)))
            elif secret.kind == "prediction":
                before = checker.get(secret.label)
                if place.where != "markdown" and (before is None or place.cell >= before):
                    continue
                token = next((t for t, number in _numbers(place.text)
                              if _same_number(t, number, secret.value)), None)
                if token is not None:
                    found(secret, place, token)
            elif secret.kind == "solution prose" and place.where != "code":
                words = place.words
                run = next((words[k:k + SHINGLE] for k in range(len(words) - SHINGLE + 1)
                            if tuple(words[k:k + SHINGLE]) in secret.value), None)
                if run is not None:
                    findings.append(Finding(name, secret, place.cell, place.where,
                                            "... " + " ".join(run) + " ..."))
    # One finding per exercise (or function shown) and place: the first kind found.
    unique = {}
    for finding in findings:
        unique.setdefault((finding.secret.label, finding.cell, finding.where), finding)
    # Name each cell by its index in the chapter, which is what an author edits.
    in_chapter = {c.get("id"): k for k, c in enumerate(chapter.cells)}
    for finding in unique.values():
        own = in_chapter.get(workbook.cells[finding.cell].get("id"))
        finding.cell, finding.added = (finding.cell, True) if own is None else (own, False)
    return sorted(unique.values(), key=lambda f: (f.cell, f.secret.label))


def check_folder(folder) -> list[Finding]:
    """The leaks of every chapter notebook in ``folder``."""
    findings = []
    for path in sorted(Path(folder).glob("[0-9][0-9]-*.ipynb")):
        findings += find_leaks(nbformat.read(path, as_version=4), name=path.stem)
    return findings


def main(argv=None):
    folders = (argv if argv is not None else sys.argv[1:]) or [str(ROOT / "notebooks")]
    findings = [f for folder in folders for f in check_folder(folder)]
    for finding in findings:
        print(finding)
    print(f"{len(findings)} leak(s)")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
