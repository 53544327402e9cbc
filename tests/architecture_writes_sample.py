"""Selector-like code the write check must judge right (tests/test_architecture.py)."""


def stamp(model, row, workbook, buffer):
    model.objects.filter(pk=1).update(seen=True), row.save(), workbook.save(buffer)
    return {}.update(row)


def insert(cursor):
    cursor.execute("INSERT INTO t VALUES (1)")
