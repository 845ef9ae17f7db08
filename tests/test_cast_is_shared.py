"""One cast of test users: every test file takes its people from tests/cast.py (the `cast` fixture, make_user,
role_user), which builds them through the real account service. A folder that makes users its own way tests a
world the application never makes: users with no role group, no audit row, a username the service would refuse."""

import ast
import re
from pathlib import Path

TESTS = Path(__file__).resolve().parent

# The two files that may make a user themselves: the cast, and the factory the cast's unrecorded_user wraps.
MAKERS = {"tests/cast.py", "tests/factories.py"}

# A test file that is precisely about making a user outside the service, with the reason. It only shrinks.
ALLOWED: dict[str, str] = {}

DIRECT = re.compile(
    r"\bcreate_user\("
    r"|\bcreate_superuser\("
    r"|\bUser\.objects\.(?:create|get_or_create|update_or_create|bulk_create)\("
    r"|\bget_user_model\(\)\.objects\.(?:create|get_or_create|update_or_create|bulk_create)\("
    r"|\bUserFactory\b"
    r"|\buser_create\("  # the service itself: tests/cast.py's make_user is its one caller
)


def _test_files():
    for path in sorted(TESTS.rglob("*.py")):
        name = path.relative_to(TESTS.parent).as_posix()
        if name not in MAKERS and path != Path(__file__).resolve():  # this guard names what it looks for
            yield name, path.read_text(encoding="utf-8")


def _direct_creations(text: str) -> list[str]:
    return [f"{number}: {line.strip()}" for number, line in enumerate(text.splitlines(), 1) if DIRECT.search(line)]


def test_no_test_file_makes_users_but_through_tests_cast():
    found = {name: lines for name, text in _test_files() if (lines := _direct_creations(text))}
    strays = {name: lines for name, lines in found.items() if name not in ALLOWED}
    assert not strays, (
        "users come from tests/cast.py (the cast fixture, role_user, make_user), built by the account service; "
        f"these files make their own: {strays}"
    )
    stale = sorted(set(ALLOWED) - set(found))
    assert not stale, f"allowed to make users directly but no longer does: remove from ALLOWED: {stale}"


def _cast_fixtures(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name == "cast":
            if any("fixture" in ast.unparse(decorator) for decorator in node.decorator_list):
                yield node


def test_every_cast_fixture_is_the_shared_cast():
    """tests/conftest.py holds the cast fixture; a folder may narrow it (build_cast(cases=False) where its tests
    count every case) but not cast people of its own."""
    own = []
    for name, text in _test_files():
        if name == "tests/conftest.py":
            continue
        for fixture in _cast_fixtures(ast.parse(text)):
            calls = {ast.unparse(node.func) for node in ast.walk(fixture) if isinstance(node, ast.Call)}
            if "build_cast" not in calls:
                own.append(f"{name}:{fixture.lineno}")
    assert not own, f"a cast fixture not built by tests/cast.py's build_cast: {own}"


def test_the_guard_sees_each_way_of_making_a_user():
    made = [
        'User.objects.create(username="x")',
        "get_user_model().objects.create_user('x')",
        "User.objects.create_superuser('root')",
        "get_user_model().objects.get_or_create(username='x')",
        "UserFactory(username='x')",
        "services.user_create(actor=None, username='x')",
    ]
    assert all(_direct_creations(line) for line in made)
    assert not _direct_creations('make_user("x", CASEWORKER)\nrole_user(LEGAL, username="y")\nCase.objects.create(x=1)')
