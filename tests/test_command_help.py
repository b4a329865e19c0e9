"""Every command of the project prints its help, in Chinese, without crashing."""

import pytest
from django.core.management import ManagementUtility

COMMANDS = {
    "import_xlsx": ("导入 Excel 表", "--dry-run"),
    "export_xlsx": ("将一张表、季度排名或年度考核汇总导出为排好版的工作簿。", "--template"),
    "report_pdf": ("--staff", "--workers"),
    "enqueue_daily": ("每天运行一次", "--date"),
    "period": ("开启、关闭、重新开启或锁定考核期", "--reason"),
    "office_days": ("将某一年的法定节假日和调休上班日载入办公日历", "--dry-run"),
    "backup": ("把数据库和系统生成的文件备份为一个归档文件", "--keep"),
    "restore": ("恢复用 backup 命令做的备份", "--force", "--yes"),
}


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_help_is_printed(name, capsys):
    with pytest.raises(SystemExit) as exit_:
        ManagementUtility(["manage.py", name, "--help"]).execute()
    out, err = capsys.readouterr()
    assert exit_.value.code == 0, err
    for text in COMMANDS[name]:
        assert text in out
