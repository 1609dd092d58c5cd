"""Exams: definitions from a YAML spec, papers, the attempt engine and grading."""
