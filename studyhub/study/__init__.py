"""The study ledger: study activities with their attendance, online courses, outreach.

- :mod:`~studyhub.study.activities`: activities (集中学习, 专题研讨 ...), attendance, laws studied
- :mod:`~studyhub.study.imports`: activity, attendance and online-course files
- :mod:`~studyhub.study.outreach`: outreach events (普法宣传)
"""
