"""Messages of the terminal quiz (prefix ``quiz.``), merged into :data:`studyhub.i18n.MESSAGES`."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # sign-in and menu
    "quiz.ask_staff_no": {"zh": "请输入工号", "en": "Staff number"},
    "quiz.unknown_staff": {
        "zh": "没有工号为 {staff_no} 的人员",
        "en": "No staff member {staff_no}",
    },
    "quiz.hello": {"zh": "{name}（{staff_no}），您好。", "en": "Hello, {name} ({staff_no})."},
    "quiz.choose_exam": {"zh": "请选择考试", "en": "Choose an exam"},
    "quiz.no_exams": {"zh": "目前没有向您开放的考试。", "en": "No exam is open to you now."},
    "quiz.quit": {"zh": "退出", "en": "Quit"},
    "quiz.menu.resume": {"zh": "继续作答", "en": "resume"},
    "quiz.menu.left": {"zh": "剩余 {count} 次", "en": "{count} left"},
    "quiz.menu.unlimited": {"zh": "练习不限次数", "en": "practice, unlimited"},
    "quiz.menu.none_left": {"zh": "次数已用完", "en": "no attempts left"},
    "quiz.menu.best": {"zh": "最好成绩 {score} 分", "en": "best {score}"},
    "quiz.menu.no_score": {"zh": "尚无成绩", "en": "no score yet"},
    "quiz.refused": {"zh": "无法开始：{reason}", "en": "Cannot start: {reason}"},
    # attempt
    "quiz.intro": {
        "zh": "{title}：共 {questions} 题，满分 {points} 分{limit}，第 {number} 次作答。",
        "en": "{title}: {questions} questions, {points} points{limit}, attempt {number}.",
    },
    "quiz.intro_limit": {"zh": "，限时 {minutes} 分钟", "en": ", {minutes} minutes"},
    "quiz.resumed": {
        "zh": "继续第 {number} 次作答：已答 {answered}/{total} 题，从第 {position} 题开始。",
        "en": "Resuming attempt {number}: {answered}/{total} answered, "
        "going on at question {position}.",
    },
    "quiz.header": {
        "zh": "第 {n}/{total} 题 · {type} · {points} 分",
        "en": "Question {n}/{total} · {type} · {points} pt",
    },
    "quiz.header_time": {"zh": "剩余 {time}", "en": "{time} left"},
    "quiz.header_flag": {"zh": "★已标记", "en": "★flagged"},
    "quiz.type.single": {"zh": "单选", "en": "single choice"},
    "quiz.type.multiple": {"zh": "多选", "en": "multiple choice"},
    "quiz.type.judge": {"zh": "判断", "en": "true/false"},
    "quiz.type.fill": {"zh": "填空", "en": "fill in"},
    "quiz.true": {"zh": "正确", "en": "True"},
    "quiz.false": {"zh": "错误", "en": "False"},
    "quiz.blank": {"zh": "第 {n} 空", "en": "Blank {n}"},
    "quiz.fill_prompt": {"zh": "答案", "en": "Answer"},
    "quiz.keys.choice": {
        "zh": "（↑↓ 选择，回车确认；← 上一题，→ 跳过，f 标记，Ctrl-C 离开）",
        "en": "(↑↓ move, Enter answer; ← back, → skip, f flag, Ctrl-C leave)",
    },
    "quiz.keys.checkbox": {
        "zh": "（↑↓ 移动，空格勾选，回车确认；← 上一题，→ 跳过，f 标记，Ctrl-C 离开）",
        "en": "(↑↓ move, Space tick, Enter answer; ← back, → skip, f flag, Ctrl-C leave)",
    },
    "quiz.keys.text": {
        "zh": "（回车确认；PgUp 上一题，PgDn 跳过，Ctrl-F 标记，Ctrl-C 离开）",
        "en": "(Enter answer; PgUp back, PgDn skip, Ctrl-F flag, Ctrl-C leave)",
    },
    "quiz.keys.plain": {
        "zh": "答案（< 上一题，* 标记，空行跳过）",
        "en": "Answer (< back, * flag, empty line skips)",
    },
    "quiz.plain.single": {
        "zh": "请输入一个选项字母（{letters}），例如 B",
        "en": "Answer with one option letter ({letters}), e.g. B",
    },
    "quiz.plain.multiple": {
        "zh": "请输入一个或多个选项字母（{letters}），例如 ACD",
        "en": "Answer with option letters ({letters}), e.g. ACD",
    },
    "quiz.plain.judge": {"zh": "请输入 对 或 错", "en": "Answer 对 or 错 (also T or F)"},
    "quiz.plain.fill": {
        "zh": "请填写 {blanks} 个空，用 ; 分隔",
        "en": "Give {blanks} answers separated by ;",
    },
    "quiz.plain.choose": {
        "zh": "请输入 1-{count} 之间的编号",
        "en": "Enter a number from 1 to {count}",
    },
    "quiz.plain.yes_no": {"zh": "请输入 y（是）或 n（否）", "en": "Answer y or n"},
    "quiz.saved_answer": {"zh": "已保存的答案：{answer}", "en": "Saved answer: {answer}"},
    "quiz.flagged": {"zh": "已标记第 {n} 题。", "en": "Question {n} flagged."},
    "quiz.unflagged": {"zh": "已取消标记第 {n} 题。", "en": "Question {n} unflagged."},
    "quiz.first_question": {"zh": "已经是第一题。", "en": "This is the first question."},
    # the database goes away while saving
    "quiz.db_unavailable": {
        "zh": "数据库暂时无法连接，您此前的答案均已保存。正在重试保存，请稍候……",
        "en": "The database is unavailable; your answers so far are saved. Retrying...",
    },
    "quiz.db_back": {
        "zh": "数据库已恢复，答案已保存，请继续作答。",
        "en": "The database is back and the answer is saved. Go on.",
    },
    "quiz.db_gave_up": {
        "zh": "数据库仍无法连接，最后一项未能保存；此前的答案均已保存，"
        "数据库恢复后再次进入本考试即可继续作答。",
        "en": "The database is still unavailable and the last step was not saved; the answers "
        "before it are saved. Start this exam again when the database is back to resume.",
    },
    # leaving
    "quiz.interrupt": {"zh": "要离开吗？", "en": "Leave the quiz?"},
    "quiz.leave": {
        "zh": "离开（本次作答保留，可稍后继续）",
        "en": "Leave (the attempt stays open; resume it later)",
    },
    "quiz.go_on": {"zh": "继续答题", "en": "Go on"},
    "quiz.left": {
        "zh": "已离开。已保存 {answered}/{total} 题的答案，再次进入本考试即可继续作答。",
        "en": "Left. {answered}/{total} answers are saved; start this exam again to resume.",
    },
    # summary and submission
    "quiz.summary": {"zh": "交卷前检查", "en": "Before you submit"},
    "quiz.summary.answered": {"zh": "已答", "en": "Answered"},
    "quiz.summary.unanswered": {"zh": "未答", "en": "Unanswered"},
    "quiz.summary.flagged": {"zh": "已标记", "en": "Flagged"},
    "quiz.summary.time": {"zh": "剩余时间", "en": "Time left"},
    "quiz.summary.questions": {"zh": "第 {numbers} 题", "en": "questions {numbers}"},
    "quiz.next_step": {"zh": "下一步", "en": "What next?"},
    "quiz.submit": {"zh": "交卷", "en": "Submit"},
    "quiz.goto_unanswered": {"zh": "回到未答的第 {n} 题", "en": "Go to unanswered question {n}"},
    "quiz.goto_flagged": {"zh": "回到标记的第 {n} 题", "en": "Go to flagged question {n}"},
    "quiz.goto_first": {"zh": "从第 1 题开始检查", "en": "Review from question 1"},
    "quiz.goto_last": {"zh": "回到最后一题", "en": "Back to the last question"},
    "quiz.leave_open": {"zh": "暂时离开，稍后继续", "en": "Leave and resume later"},
    "quiz.confirm_submit": {
        "zh": "交卷后不能再修改答案，确定交卷吗？",
        "en": "Answers cannot change after submitting. Submit now?",
    },
    "quiz.confirm_submit_unanswered": {
        "zh": "还有 {count} 题未答，交卷后不能再修改答案，确定交卷吗？",
        "en": "{count} questions are unanswered and answers cannot change after "
        "submitting. Submit now?",
    },
    "quiz.closed.expired": {
        "zh": "时间到：已按截止前保存的答案自动交卷。",
        "en": "Time is up: the attempt was submitted with the answers saved before the deadline.",
    },
    "quiz.closed.closed": {
        "zh": "考试已结束：已按保存的答案交卷。",
        "en": "The exam was closed: the attempt was submitted with its saved answers.",
    },
    "quiz.closed.taker": {
        "zh": "本次作答已经交卷（可能在另一台终端）。",
        "en": "This attempt was already submitted (perhaps in another terminal).",
    },
    # result and review
    "quiz.result": {"zh": "成绩", "en": "Result"},
    "quiz.result.score": {"zh": "得分", "en": "Score"},
    "quiz.result.percent": {"zh": "得分率", "en": "Percent"},
    "quiz.result.band": {"zh": "等级", "en": "Band"},
    "quiz.result.outcome": {"zh": "结果", "en": "Outcome"},
    "quiz.result.passed": {"zh": "及格", "en": "passed"},
    "quiz.result.failed": {"zh": "不及格", "en": "not passed"},
    "quiz.result.no_band": {"zh": "不合格", "en": "below every band"},
    "quiz.review.score_only": {
        "zh": "本考试交卷后只显示分数。",
        "en": "This exam shows the score only.",
    },
    "quiz.review.heading_full": {"zh": "答题回顾", "en": "Review"},
    "quiz.review.heading_wrong": {"zh": "错题回顾", "en": "Review of wrong answers"},
    "quiz.review.all_right": {"zh": "全部答对。", "en": "Every answer is right."},
    "quiz.review.item": {
        "zh": "第 {n} 题 · {type} · {mark} {awarded}/{points} 分",
        "en": "Question {n} · {type} · {mark} {awarded}/{points} pt",
    },
    "quiz.review.yours": {"zh": "你的答案", "en": "Your answer"},
    "quiz.review.key": {"zh": "正确答案", "en": "Correct answer"},
    "quiz.review.explanation": {"zh": "解析", "en": "Explanation"},
    "quiz.review.source": {"zh": "出处", "en": "Source"},
    "quiz.review.none": {"zh": "（未答）", "en": "(unanswered)"},
    "practice.intro": {"zh": "练习开始，共 {count} 题。", "en": "Practice: {count} questions."},
    "practice.header": {"zh": "练习 {n}/{total} · {type}", "en": "Practice {n}/{total} · {type}"},
    "practice.right": {"zh": "✓ 回答正确", "en": "✓ Right"},
    "practice.wrong": {"zh": "✗ 回答错误（已加入错题本）", "en": "✗ Wrong (added to your book)"},
    "practice.skipped": {"zh": "已跳过。", "en": "Skipped."},
    "practice.stopped": {"zh": "练习已中止。", "en": "Practice stopped."},
    "practice.summary": {
        "zh": "本次练习答题 {answered} 题，答对 {right} 题，新增错题 {book} 题。",
        "en": "{answered} answered, {right} right, {book} into your wrong-answer book.",
    },
    "practice.book_empty": {
        "zh": "错题本中暂无到期需要复习的题目。",
        "en": "Nothing in your wrong-answer book is due for review.",
    },
    "practice.banks_loaded": {
        "zh": "首次使用：已导入随附题库 {count} 题。",
        "en": "First use: {count} questions of the shipped banks loaded.",
    },
    "practice.demo_offer": {
        "zh": "人员名册为空，是否创建一个演示用户用于练习？",
        "en": "The roster is empty. Create a demo staff member to practise as?",
    },
    "practice.demo_created": {
        "zh": "已创建演示用户（工号 {staff_no}）。",
        "en": "Demo staff member created (staff number {staff_no}).",
    },
}
