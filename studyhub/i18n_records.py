"""Messages of the roster, exemption, study and outreach commands (merged into
:data:`studyhub.i18n.MESSAGES`; kept here so that the shared message table stays small)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "dept.added": {"zh": "已添加部门 {code} {name}", "en": "Added department {code} {name}"},
    "dept.imported": {
        "zh": "部门：新增 {added}，修改 {updated}，未变 {unchanged}",
        "en": "departments: {added} added, {updated} updated, {unchanged} unchanged",
    },
    "staff.added": {"zh": "已添加人员 {staff_no} {name}", "en": "Added {staff_no} {name}"},
    "staff.imported": {
        "zh": "人员：新增 {added}，修改 {updated}（调动 {moved}，离岗 {left}），未变 {unchanged}",
        "en": "staff: {added} added, {updated} updated ({moved} moved, {left} left), "
        "{unchanged} unchanged",
    },
    "staff.missing": {
        "zh": "以下 {count} 名在岗人员不在本名册中（未删除）：",
        "en": "{count} people in post are not in this roster (not deleted):",
    },
    "staff.left": {
        "zh": "{staff_no} 离岗，最后在岗日 {date}",
        "en": "{staff_no} leaves: last day in post {date}",
    },
    "staff.moved": {
        "zh": "{staff_no} 自 {date} 起由 {old} 调至 {new}",
        "en": "{staff_no} moved from {old} to {new} on {date}",
    },
    "exempt.added": {
        "zh": "已登记 {staff_no} 免考 {exam}",
        "en": "{staff_no} is exempt from {exam}",
    },
    "exempt.removed": {
        "zh": "已撤销 {staff_no} 的 {exam} 免考",
        "en": "{staff_no} is no longer exempt from {exam}",
    },
    "exempt.imported": {
        "zh": "免考：新增 {added}，修改 {updated}，未变 {unchanged}",
        "en": "exemptions: {added} added, {updated} updated, {unchanged} unchanged",
    },
    "study.added": {
        "zh": "已登记学习活动 {id}，参加 {count} 人",
        "en": "Recorded study activity {id} with {count} attendees",
    },
    "study.imported": {
        "zh": "学习活动：新增 {added}，合并 {merged}；参加记录：新增 {attendance}，修改 {updated}",
        "en": "activities: {added} added, {merged} merged; attendance: {attendance} added, "
        "{updated} updated",
    },
    "study.law_total": {
        "zh": "共学习法律法规 {count} 部",
        "en": "{count} distinct laws and regulations",
    },
    "outreach.added": {"zh": "已登记普法活动 {id}", "en": "Recorded outreach event {id}"},
    "outreach.imported": {
        "zh": "普法活动：新增 {added}，修改 {updated}，未变 {unchanged}",
        "en": "outreach events: {added} added, {updated} updated, {unchanged} unchanged",
    },
    "roster.col.code": {"zh": "编码", "en": "code"},
    "roster.col.name": {"zh": "名称/姓名", "en": "name"},
    "roster.col.parent": {"zh": "上级部门", "en": "parent"},
    "roster.col.staff": {"zh": "在岗人数", "en": "staff"},
    "roster.col.staff_no": {"zh": "工号", "en": "staff no"},
    "roster.col.department": {"zh": "部门", "en": "department"},
    "roster.col.department_name": {"zh": "部门名称", "en": "department name"},
    "roster.col.role": {"zh": "角色", "en": "role"},
    "roster.col.in_post_from": {"zh": "在岗起", "en": "in post from"},
    "roster.col.in_post_to": {"zh": "在岗止", "en": "in post to"},
    "roster.col.exam": {"zh": "考试", "en": "exam"},
    "roster.col.reason": {"zh": "原因", "en": "reason"},
    "roster.col.approved_by": {"zh": "批准人", "en": "approved by"},
    "roster.col.approved_on": {"zh": "批准日期", "en": "approved on"},
    "study.col.id": {"zh": "编号", "en": "id"},
    "study.col.date": {"zh": "日期", "en": "date"},
    "study.col.kind": {"zh": "形式", "en": "kind"},
    "study.col.title": {"zh": "标题", "en": "title"},
    "study.col.hours": {"zh": "学时", "en": "hours"},
    "study.col.organiser": {"zh": "组织者", "en": "organiser"},
    "study.col.place": {"zh": "地点", "en": "place"},
    "study.col.attendees": {"zh": "参加人数", "en": "attendees"},
    "study.col.topics": {"zh": "专题", "en": "topics"},
    "study.col.laws": {"zh": "法律法规", "en": "laws"},
    "study.col.staff_no": {"zh": "工号", "en": "staff no"},
    "study.col.name": {"zh": "姓名", "en": "name"},
    "study.col.completed_on": {"zh": "完成日期", "en": "completed on"},
    "study.col.law": {"zh": "法律法规", "en": "law"},
    "study.col.activities": {"zh": "学习次数", "en": "activities"},
    "study.col.dates": {"zh": "学习日期", "en": "dates"},
    "outreach.col.id": {"zh": "编号", "en": "id"},
    "outreach.col.date": {"zh": "日期", "en": "date"},
    "outreach.col.title": {"zh": "活动名称", "en": "title"},
    "outreach.col.place": {"zh": "地点", "en": "place"},
    "outreach.col.materials": {"zh": "发放资料", "en": "materials"},
    "outreach.col.consultations": {"zh": "接受咨询", "en": "consultations"},
    "outreach.col.participants": {"zh": "参与人数", "en": "participants"},
    "outreach.col.partners": {"zh": "合作单位", "en": "partners"},
}
