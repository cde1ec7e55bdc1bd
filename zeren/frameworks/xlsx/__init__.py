"""A framework as an Excel workbook, for organizers to read and edit: write and read back.

Three sheets with Chinese headers: 说明 (the framework's settings and document texts, one per
row), 指标 (one indicator per row) and 选项 (one level per row). Reading builds the same mapping
as the YAML file and validates it with `spec_from_mapping`, then points every error at its sheet
and row, so a person can find the cell to fix.
"""

from zeren.frameworks.xlsx.read import read_xlsx
from zeren.frameworks.xlsx.write import write_xlsx

__all__ = ["read_xlsx", "write_xlsx"]
