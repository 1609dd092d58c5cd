"""law import / list / show / diff and bank review through click's CliRunner (issue #23): the
Chinese screens by default, English with --lang en, no traceback on bad input."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from studyhub.cli import cli
from tests.test_law_versions import BANK, V1, V2, write


def run(db_url: str, *args: str, lang: str = "zh") -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--db", db_url, "--lang", lang, *args])
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout, result.stderr


def revised(db_url: str, tmp_path: Path) -> str:
    """V1, the bank, then V2; the output of importing V2."""
    run(db_url, "law", "import", str(write(tmp_path, "v1.md", V1)))
    run(db_url, "bank", "import", str(write(tmp_path, "bank.yaml", BANK)))
    code, out, _ = run(db_url, "law", "import", str(write(tmp_path, "v2.md", V2)))
    assert code == 0
    return out


def test_import_list_and_show_versions(db_url: str, tmp_path: Path) -> None:
    out = revised(db_url, tmp_path)
    assert out.splitlines() == [
        "已导入《中华人民共和国测试法》（测试法）2024-06-01 版：8 条，为新版本",
        "6 道试题引用的条文有变动，已列入待复核（studyhub bank review）",
    ]
    code, out, _ = run(db_url, "law", "import", str(write(tmp_path, "v1.md", V1)))
    assert (
        out.strip()
        == "《中华人民共和国测试法》（测试法）的这一文本已导入过（2020-01-01 版），未作改动"
    )
    code, out, _ = run(db_url, "law", "list")
    lines = out.splitlines()
    assert lines[0].split() == ["简称", "名称", "版本", "现行版本", "条数", "通过日期", "施行日期"]
    assert lines[2].split()[2:4] == ["2020-01-01", "8"]
    assert lines[3].split()[2:4] == ["2024-06-01", "是"]
    code, out, _ = run(db_url, "law", "list", "--format", "json")
    assert [(r["version"], r["current"]) for r in json.loads(out)] == [
        ("2020-01-01", False),
        ("2024-06-01", True),
    ]
    code, out, _ = run(db_url, "law", "show", "测试法 第3条", "--version", "2020-01-01")
    assert out.splitlines()[:2] == [
        "中华人民共和国测试法（2020-01-01 版） 第三条（第一章 总则）",
        "任何单位不得妨碍示例活动。",
    ]
    code, out, err = run(db_url, "law", "show", "测试法 第3条", "--version", "2020-13-01")
    assert code == 1 and "'2020-13-01' 不是日期（请写成 2024-12-25）" in err


def test_an_undated_second_text_asks_for_its_date(db_url: str, tmp_path: Path) -> None:
    undated = V1.replace("2020年1月1日 第十三届全国人民代表大会常务委员会第十五次会议通过\n", "")
    run(db_url, "law", "import", str(write(tmp_path, "a.md", undated)))
    other = write(tmp_path, "b.md", undated.replace("公平的原则", "公平、公正的原则"))
    code, _, err = run(db_url, "law", "import", str(other))
    assert code == 1
    assert f"{other}：测试法 已导入过另一文本，而此文件没有注明日期" in err  # the file named
    assert "studyhub law import 文件 --version 2024-12-25" in err
    code, _, err = run(db_url, "law", "import", str(other), str(other), "--version", "2024-06-01")
    assert code == 1 and "--version 只能注明一个文件的日期" in err
    code, out, _ = run(db_url, "law", "import", str(other), "--version", "2024-06-01")
    assert code == 0 and "2024-06-01 版：8 条，为新版本" in out


def test_law_diff_in_the_terminal_markdown_and_json(db_url: str, tmp_path: Path) -> None:
    revised(db_url, tmp_path)
    code, out, _ = run(db_url, "law", "diff", "测试法")
    assert code == 0
    assert out.splitlines() == [
        "中华人民共和国测试法：2020-01-01 版 → 2024-06-01 版",
        "",
        "新增 1 条，删除 1 条，条号变动 5 条，内容修改 1 条",
        "（条文中 [-…-] 为删去的文字，{+…+} 为新增的文字）",
        "",
        "【新增】",
        "第二条之一 国家鼓励社会力量参与示例活动。",
        "",
        "【删除】",
        "第三条 任何单位不得妨碍示例活动。",
        "",
        "【条号变动】",
        "第四条 → 第三条",
        "第五条 → 第四条",
        "第六条 → 第五条（内容有修改） 违反本法规定的，处[-二-]{+五+}千元以下罚款。",
        "第七条 → 第六条",
        "第八条 → 第七条（内容有修改） 本法自[-2020年3-]{+2024年7+}月1日起施行。",
        "",
        "【内容修改】",
        "第二条 示例活动应当遵循公开、公平{+、公正+}的原则。",
    ]
    code, out, _ = run(db_url, "law", "diff", "测试法", "2020-01-01", "2024-06-01", "--format",
                       "markdown")  # fmt: skip
    assert "## 内容修改\n- **第二条** 示例活动应当遵循公开、公平**、公正**的原则。" in out
    code, out, _ = run(db_url, "law", "diff", "测试法", "--format", "json")
    assert json.loads(out)["counts"] == {"added": 1, "removed": 1, "renumbered": 5, "changed": 1}
    code, out, _ = run(db_url, "law", "diff", "测试法", lang="en")
    assert out.splitlines()[:3] == [
        "中华人民共和国测试法: version of 2020-01-01 → version of 2024-06-01",
        "",
        "added 1, removed 1, renumbered 5, changed 1 (条)",
    ]
    code, _, err = run(db_url, "law", "diff", "测试法", "2019-01-01")
    assert code == 1 and "测试法 没有 2019-01-01 的版本" in err
    code, _, err = run(db_url, "law", "diff", "没有的法")
    assert code == 1 and "没有的法" in err


def test_bank_review_lists_marks_and_retires(db_url: str, tmp_path: Path) -> None:
    revised(db_url, tmp_path)
    code, out, _ = run(db_url, "bank", "review")
    assert code == 0
    assert out.splitlines()[-2:] == [
        "（条文中 [-…-] 为删去的文字，{+…+} 为新增的文字）",
        "共 6 条复核",
    ]
    block = out.split("\n\n[")[0]  # q2: changed
    assert "题库 demo · 试题 q2（单选）· 测试法：2020-01-01 版 → 2024-06-01 版" in block
    assert "答案:" in block and "A. 公开公平" in block and "第二条规定公开、公平。" in block
    assert "【内容修改】" in block
    lines = block.splitlines()
    sides = [line for line in lines if "│" in line]
    assert sides[0].split("│")[0].strip() == "2020-01-01 版 第二条"
    assert sides[0].split("│")[1].strip() == "2024-06-01 版 第二条"
    assert "公平{+、公正+}的原则" in sides[1].split("│")[1]
    assert any(line.split() == ["建议出处:", "测试法", "第3条"] for line in out.splitlines())
    assert "2024-06-01 版：已删除" in out  # q3
    reviews = json.loads(run(db_url, "bank", "review", "--format", "json")[1])
    ids = {r["question"]: r["id"] for r in reviews}
    assert reviews[0]["articles"][0]["kind"] == "changed"
    code, out, _ = run(db_url, "bank", "review", "--ok", str(ids["q4"]), "--ok", str(ids["q5"]))
    assert (code, out.strip()) == (0, "已确认 2 道试题仍然正确")
    code, out, _ = run(db_url, "bank", "review", "--retire", str(ids["q3"]))
    assert (code, out.strip()) == (0, "已停用 1 道试题")
    code, _, err = run(db_url, "bank", "review", "--ok", str(ids["q4"]))
    assert code == 1 and f"没有待复核的编号 {ids['q4']}" in err
    code, out, _ = run(db_url, "bank", "review")
    assert out.splitlines()[-1] == "共 3 条复核"
    code, out, _ = run(db_url, "bank", "review", "--all")
    assert "（已处理：已停用）" in out and "（已处理：仍然正确）" in out
    code, out, _ = run(db_url, "bank", "review", lang="en")
    assert "bank demo · question q2 (single choice) · 测试法: version of 2020-01-01" in out
    assert out.splitlines()[-1] == "Reviews: 3"


def test_exam_create_warns_when_a_rule_loses_questions(db_url: str, tmp_path: Path) -> None:
    revised(db_url, tmp_path)
    spec = write(
        tmp_path,
        "exam.yaml",
        "key: e1\ntitle: 学法考试\nyear: 2026\n"
        "paper:\n  rules:\n    - {topic: tl, type: judge, count: 2, points: 10}\n",
    )
    code, _, err = run(db_url, "exam", "create", str(spec))
    assert code == 0, err
    assert (
        "提示：试卷规则 1（tl，判断）有 4 道试题因法律修订待复核，复核前不会抽到"
        "（studyhub bank review）。" in err
    )
    bigger = write(tmp_path, "big.yaml", spec.read_text(encoding="utf-8").replace(
        "key: e1", "key: e2").replace("count: 2", "count: 5"))  # fmt: skip
    code, _, err = run(db_url, "exam", "create", str(bigger))
    assert code == 1 and "另有 4 道试题因法律修订待复核" in err
