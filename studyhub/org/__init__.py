"""The organisation: departments, staff and their dated postings, exemptions.

- :mod:`~studyhub.org.roster`: departments (a tree), staff, postings, who was where on a day
- :mod:`~studyhub.org.roster_import`: department and roster files (CSV/XLSX)
- :mod:`~studyhub.org.exemptions`: exemptions (免考) from an exam
"""
