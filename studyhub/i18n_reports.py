"""Messages of the reports (prefix ``report.``): titles, column headings and the definitions
that go with every table (merged into :data:`studyhub.i18n.MESSAGES`)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "report.total": {"zh": "合计", "en": "total"},
    "report.chart.title": {"zh": "参考率与及格率", "en": "Participation and pass rates"},
    "report.chart.participation": {"zh": "参考率", "en": "participation rate"},
    "report.chart.pass": {"zh": "及格率", "en": "pass rate"},
    "report.chart.written": {"zh": "图表已写入 {path}", "en": "Chart written to {path}"},
    "report.written": {"zh": "已写入 {path}", "en": "Written to {path}"},
    # study totals
    "report.study.totals": {
        "zh": "{year}年学习与普法合计",
        "en": "Study and outreach totals, {year}",
    },
    "report.study.by_kind": {
        "zh": "{year}年学习活动（按形式）",
        "en": "Study activities by kind, {year}",
    },
    "report.study.activities": {
        "zh": "{year}年各次学习参学情况",
        "en": "Attendance at each study activity, {year}",
    },
    "report.study.hours": {"zh": "{year}年人均学时", "en": "Study hours per person, {year}"},
    "report.study.below": {
        "zh": "{year}年学时不足{hours}学时人员",
        "en": "Staff below {hours} study hours, {year}",
    },
    "report.study.laws": {
        "zh": "{year}年学习法律法规（共{count}部）",
        "en": "Laws and regulations studied, {year} ({count})",
    },
    "report.study.seminars": {
        "zh": "{year}年专题研讨（共{count}次，按专题）",
        "en": "Seminars by topic, {year} ({count} seminars)",
    },
    "report.study.col.item": {"zh": "项目", "en": "item"},
    "report.study.col.value": {"zh": "数值", "en": "value"},
    "report.study.col.kind": {"zh": "学习形式", "en": "kind"},
    "report.study.col.activities": {"zh": "次数", "en": "activities"},
    "report.study.col.dates": {"zh": "日期", "en": "dates"},
    "report.study.col.hours": {"zh": "学时", "en": "hours"},
    "report.study.col.date": {"zh": "日期", "en": "date"},
    "report.study.col.title": {"zh": "标题", "en": "title"},
    "report.study.col.attendees": {"zh": "登记参加人数", "en": "attendees recorded"},
    "report.study.col.present": {"zh": "在岗参加人数", "en": "attendees in post"},
    "report.study.col.in_post": {"zh": "在岗人数", "en": "staff in post"},
    "report.study.col.rate": {"zh": "参学率", "en": "attendance rate"},
    "report.study.col.department": {"zh": "部门编码", "en": "department"},
    "report.study.col.department_name": {"zh": "部门", "en": "department name"},
    "report.study.col.people": {"zh": "人数", "en": "people"},
    "report.study.col.total_hours": {"zh": "总学时", "en": "total hours"},
    "report.study.col.min_hours": {"zh": "最少学时", "en": "minimum"},
    "report.study.col.median_hours": {"zh": "学时中位数", "en": "median"},
    "report.study.col.max_hours": {"zh": "最多学时", "en": "maximum"},
    "report.study.col.below_n": {"zh": "不足{hours}学时人数", "en": "below {hours} hours"},
    "report.study.col.staff_no": {"zh": "工号", "en": "staff no"},
    "report.study.col.name": {"zh": "姓名", "en": "name"},
    "report.study.col.shortfall": {"zh": "差额", "en": "shortfall"},
    "report.study.col.law": {"zh": "法律法规", "en": "law or regulation"},
    "report.study.col.topic": {"zh": "专题", "en": "topic"},
    "report.study.col.topic_name": {"zh": "专题名称", "en": "topic name"},
    "report.study.col.seminars": {"zh": "研讨次数", "en": "seminars"},
    "report.study.fig.activities": {"zh": "学习活动次数", "en": "study activities"},
    "report.study.fig.activity_hours": {"zh": "学习活动学时合计", "en": "hours of the activities"},
    "report.study.fig.attendance": {"zh": "参学人次", "en": "attendances"},
    "report.study.fig.people": {"zh": "参学人数", "en": "people who attended"},
    "report.study.fig.person_hours": {"zh": "累计学时（人·学时）", "en": "person-hours"},
    "report.study.fig.staff_in_post": {"zh": "年内在岗人数", "en": "staff in post in the year"},
    "report.study.fig.median_hours": {"zh": "人均学时中位数", "en": "median hours per person"},
    "report.study.fig.laws": {"zh": "学习法律法规（部）", "en": "laws and regulations studied"},
    "report.study.fig.seminars": {"zh": "专题研讨（次）", "en": "seminars"},
    "report.study.fig.outreach_events": {"zh": "普法宣传活动（场）", "en": "outreach events"},
    "report.study.fig.outreach_materials": {"zh": "发放资料（份）", "en": "materials handed out"},
    "report.study.fig.outreach_consultations": {"zh": "接受咨询（人次）", "en": "consultations"},
    "report.study.fig.outreach_participants": {"zh": "参与群众（人）", "en": "participants"},
    "report.study.def.totals": {
        "zh": "按活动日期所在自然年（北京时间）统计；参学人次为登记的参加记录数，"
        "累计学时为每条参加记录计入的学时之和（未单独登记的按活动学时计）；年内在岗人数为当年任一天在岗的人员",
        "en": "activities dated in the calendar year (Asia/Shanghai); attendances are the "
        "attendance records; person-hours sum the hours each record credits (the activity's "
        "hours unless recorded otherwise); staff in post: in post on any day of the year",
    },
    "report.study.def.kind_hours": {
        "zh": "各次活动本身的学时之和（不乘以参加人数）",
        "en": "the sum of the activities' own hours (not multiplied by attendees)",
    },
    "report.study.def.present": {
        "zh": "登记参加且活动当日在岗的人数",
        "en": "attendees who were in post on the day of the activity",
    },
    "report.study.def.in_post": {
        "zh": "活动当日在岗的全部人员",
        "en": "everyone in post on the day of the activity",
    },
    "report.study.def.rate": {
        "zh": "参学率 = 在岗参加人数 ÷ 在岗人数（截断到0.1%；无人在岗显示“-”）",
        "en": "attendance rate = attendees in post / staff in post (truncated to 0.1%; "
        "'-' when nobody was in post)",
    },
    "report.study.def.people": {
        "zh": "当年任一天在岗的人员（含年内离岗、调入人员）",
        "en": "everyone in post on any day of the year (leavers and joiners included)",
    },
    "report.study.def.hours": {
        "zh": "当年各次学习计入本人的学时之和；未参加任何学习的记0学时",
        "en": "the hours the year's activities credit to the person; 0 when none",
    },
    "report.study.def.department": {
        "zh": "本人当年最后所在的部门（不含下级部门）",
        "en": "the person's last department in the year (sub-departments counted separately)",
    },
    "report.study.def.laws": {
        "zh": "按规范名称去重（去掉书名号和“中华人民共和国”后相同者计为一部）",
        "en": "distinct by normalised name (《》 and 中华人民共和国 folded)",
    },
    "report.study.def.seminars": {
        "zh": "形式为专题研讨的活动，按所属专题计数（一次研讨涉及多个专题时分别计入）",
        "en": "activities of kind seminar, counted under each of their topics",
    },
    # item analysis
    "report.items.paper": {
        "zh": "试卷统计：{key} {title}",
        "en": "Paper statistics: {key} {title}",
    },
    "report.items.questions": {
        "zh": "试题分析：{key} {title}",
        "en": "Item analysis: {key} {title}",
    },
    "report.items.first": {"zh": "每人首次作答", "en": "first attempts"},
    "report.items.all": {"zh": "全部已交答卷", "en": "all submitted attempts"},
    "report.items.col.attempts_used": {"zh": "统计范围", "en": "attempts used"},
    "report.items.col.attempts": {"zh": "答卷数", "en": "attempts"},
    "report.items.col.questions": {"zh": "题数", "en": "questions"},
    "report.items.col.max_score": {"zh": "满分", "en": "maximum"},
    "report.items.col.mean": {"zh": "平均分", "en": "mean"},
    "report.items.col.sd": {"zh": "标准差", "en": "SD"},
    "report.items.col.alpha": {"zh": "克朗巴赫α系数", "en": "Cronbach's alpha"},
    "report.items.col.question": {"zh": "题号", "en": "question"},
    "report.items.col.version": {"zh": "版本", "en": "version"},
    "report.items.col.type": {"zh": "题型", "en": "type"},
    "report.items.col.stem": {"zh": "题干", "en": "stem"},
    "report.items.col.points": {"zh": "分值", "en": "points"},
    "report.items.col.facility": {"zh": "容易度指数(%)", "en": "facility index (%)"},
    "report.items.col.discrimination": {"zh": "区分度指数", "en": "discrimination index"},
    "report.items.col.efficiency": {"zh": "区分效率(%)", "en": "discriminative efficiency (%)"},
    "report.items.col.review": {"zh": "需复核", "en": "review"},
    "report.items.flag.negative": {"zh": "区分度为负", "en": "negative discrimination"},
    "report.items.flag.easy": {"zh": "容易度高于95%", "en": "facility above 95%"},
    "report.items.flag.hard": {"zh": "容易度低于20%", "en": "facility below 20%"},
    "report.items.def.attempts": {
        "zh": "统计的已交答卷数（默认每人首次作答，--all-attempts 为全部已交答卷）",
        "en": "submitted attempts analysed (each person's first by default; --all-attempts: all)",
    },
    "report.items.def.sd": {
        "zh": "总分的样本标准差（除以 n-1，同 Moodle）",
        "en": "sample standard deviation of the total scores (n-1, as Moodle)",
    },
    "report.items.def.alpha": {
        "zh": "α = k/(k-1) × (1 - Σ各题方差 ÷ 总分方差)；仅当每份答卷题目相同（固定试卷）时计算",
        "en": "alpha = k/(k-1) x (1 - sum of item variances / total score variance); only when "
        "every attempt had the same questions (a fixed paper)",
    },
    "report.items.def.facility": {
        "zh": "容易度 = 该题平均得分 ÷ 分值（Moodle 的 facility index）",
        "en": "facility = mean score on the item / its points (Moodle's facility index)",
    },
    "report.items.def.discrimination": {
        "zh": "区分度 = 100 × 该题得分与试卷其余部分得分的相关系数"
        "（Moodle 的 discrimination index）",
        "en": "100 x correlation between the item score and the score on the rest of the "
        "paper (Moodle's discrimination index)",
    },
    "report.items.def.efficiency": {
        "zh": "区分效率 = 100 × 协方差 ÷ 在得分分布不变时可能的最大协方差"
        "（Moodle 的 discriminative efficiency）",
        "en": "100 x covariance / the largest covariance the two score distributions allow "
        "(Moodle's discriminative efficiency)",
    },
    "report.items.def.review": {
        "zh": "区分度为负，或容易度高于95%、低于20%的题目需复核",
        "en": "items with negative discrimination, or facility above 95% or below 20%",
    },
    "report.items.random_paper": {
        "zh": "各答卷题目不同（随机组卷），未计算α系数",
        "en": "the attempts had different questions (random papers): alpha not computed",
    },
}
