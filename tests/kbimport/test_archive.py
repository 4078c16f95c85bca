"""Reading a ZIP or a folder: names in both encodings, and every archive that
must be refused before anything is unpacked."""

import io
import os
import struct
import zipfile
import zlib
from unittest import mock

import pytest

from kbimport import archive
from kbimport.archive import ArchiveRefused, Limits, folder_source, zip_source
from tests.kbimport.factories import zip_bytes


def _limits(**changes):
    base = {
        "files": 1000,
        "total_bytes": 50 * 1024 * 1024,
        "depth": 5,
        "name_chars": 200,
        "ratio": 200,
        "file_bytes": 10 * 1024 * 1024,
    }
    return Limits(**{**base, **changes})


def _paths(content, **limits):
    with zip_source(io.BytesIO(content), limits=_limits(**limits)) as source:
        return [entry.path for entry in source.entries]


def _refused(content, **limits):
    with pytest.raises(ArchiveRefused) as refused:
        zip_source(io.BytesIO(content), limits=_limits(**limits))
    return str(refused.value)


def test_utf8_names_with_the_flag_are_read():
    assert _paths(zip_bytes({"Раздел/Памятка.txt": b"x"})) == ["Раздел/Памятка.txt"]


def test_cp866_names_without_the_flag_are_read():
    content = zip_bytes(
        {"Клиентские группы/Молодёжь.txt": b"x"}, cp866={"Клиентские группы/Молодёжь.txt"}
    )
    with zipfile.ZipFile(io.BytesIO(content)) as raw:
        assert not raw.infolist()[0].flag_bits & 0x800  # really written without the flag
        assert raw.namelist() != ["Клиентские группы/Молодёжь.txt"]  # zipfile alone gets it wrong
    assert _paths(content) == ["Клиентские группы/Молодёжь.txt"]


def test_utf8_names_without_the_flag_are_read_too():
    content = zip_bytes({"Папка/Файл.txt": b"x"}, raw_utf8={"Папка/Файл.txt"})
    assert _paths(content) == ["Папка/Файл.txt"]


def test_ascii_names_without_the_flag_stay_as_they_are():
    assert _paths(zip_bytes({"docs/readme.txt": b"x"})) == ["docs/readme.txt"]


def test_backslashes_are_folders_and_dates_are_local():
    content = zip_bytes(
        {"Раздел\\Файл.txt": b"x"}, dates={"Раздел\\Файл.txt": (2024, 5, 6, 7, 8, 10)}
    )
    with zip_source(io.BytesIO(content), limits=_limits()) as source:
        (entry,) = source.entries
    assert entry.parts == ("Раздел", "Файл.txt")
    assert entry.modified.isoformat() == "2024-05-06T07:08:10+04:00"


@pytest.mark.parametrize(
    "name", ["../../etc/cron.d/job.txt", "Раздел/../../выход.txt", "..\\x.txt"]
)
def test_a_path_outside_the_archive_is_refused(name):
    message = _refused(zip_bytes({"Раздел/Хорошо.txt": b"x", name: b"x"}))
    assert "выходящий за его пределы" in message


@pytest.mark.parametrize(
    "name", ["/etc/passwd", "C:/Windows/win.ini", "C:\\boot.ini", "\\\\server\\x.txt"]
)
def test_an_absolute_path_is_refused(name):
    assert "абсолютным путём" in _refused(zip_bytes({name: b"x"}))


def test_an_encrypted_entry_is_refused():
    message = _refused(zip_bytes({"Раздел/Секрет.docx": b"x"}, encrypted={"Раздел/Секрет.docx"}))
    assert "«Раздел/Секрет.docx» в архиве защищён паролем" in message


def test_a_name_of_a_thousand_characters_is_refused():
    name = "Д" * 1000 + ".txt"
    message = _refused(zip_bytes({f"Раздел/{name}": b"x"}))
    assert "Слишком длинное имя: 1004 символов, можно не больше 200" in message
    assert len(message) < 300  # the name is quoted shortened, not whole


def test_folders_nested_too_deep_are_refused():
    deep = "/".join(f"Уровень {n}" for n in range(7)) + "/Файл.txt"
    assert "Слишком глубокая вложенность папок: 7, можно не больше 5" in _refused(
        zip_bytes({deep: b"x"})
    )


def test_control_characters_in_a_name_are_refused():
    assert "недопустимые" in _refused(zip_bytes({"Раздел/Файл\x07.txt": b"x"}))


def test_a_hundred_thousand_empty_files_are_refused_before_the_directory_is_read():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive_file:
        for n in range(100_000):
            archive_file.writestr(f"{n}.txt", b"")
    content = buffer.getvalue()
    assert archive.declared_entry_count(io.BytesIO(content)) == 100_000  # a ZIP64 end record
    with mock.patch.object(archive.zipfile, "ZipFile") as parser:
        message = _refused(content, files=10_000)
    parser.assert_not_called()  # judged from the end record alone
    assert "В архиве 100000 файлов и папок, можно не больше 10000" in message


def test_too_many_entries_are_refused_by_the_directory_too():
    content = zip_bytes({f"Раздел/{n}.txt": b"x" for n in range(12)})
    assert "В архиве 12 файлов и папок, можно не больше 10" in _refused(content, files=10)


def test_a_zip_bomb_is_refused_by_its_compression_ratio():
    content = zip_bytes({"Раздел/Безобидный.txt": b"0" * (20 * 1024 * 1024)})
    assert len(content) < 100_000
    message = _refused(content, total_bytes=1024**3, file_bytes=1024**3)
    assert "сжат в" in message
    assert "архивы-«бомбы»" in message


def test_what_unpacks_to_more_than_the_limit_is_refused():
    content = zip_bytes({"a.txt": os.urandom(600_000), "b.txt": os.urandom(600_000)})
    assert "Архив распаковывается в 1,1" in _refused(content, total_bytes=1024 * 1024)


def _lying_zip(declared, actual):
    """One deflated entry whose headers declare ``declared`` bytes but which
    unpacks to ``actual``: a bomb hiding from the declared-size check."""
    data = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = data.compress(actual) + data.flush()
    crc = zlib.crc32(actual)
    name = "Раздел/Обман.txt".encode()
    local = struct.pack(
        "<IHHHHHIIIHH", 0x04034B50, 20, 0x800, 8, 0, 0x21, crc, len(packed), declared, len(name), 0
    )
    central = struct.pack(
        "<IHHHHHHIIIHHHHHII",
        0x02014B50, 20, 20, 0x800, 8, 0, 0x21, crc, len(packed), declared,
        len(name), 0, 0, 0, 0, 0, 0,
    )  # fmt: skip
    body = local + name + packed
    directory = central + name
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(directory), len(body), 0)
    return body + directory + end


def test_an_entry_unpacking_to_more_than_it_declares_stops_the_reading():
    content = _lying_zip(declared=1000, actual=b"A" * (5 * 1024 * 1024))
    with zip_source(io.BytesIO(content), limits=_limits()) as source:
        (entry,) = source.entries
        out = io.BytesIO()
        with pytest.raises((ArchiveRefused, zipfile.BadZipFile)):
            source.copy(entry, out)
    assert out.tell() <= 1000  # not a byte beyond what was declared was kept


def test_not_a_zip_is_refused():
    assert "не похож на ZIP-архив" in _refused(b"PK\x03\x04 but not really a zip at all")
    assert "не похож на ZIP-архив" in _refused("Просто текст".encode())


def test_junk_of_operating_systems_is_marked_to_skip():
    content = zip_bytes(
        {
            "Раздел/Thumbs.db": b"x",
            "Раздел/~$Памятка.docx": b"x",
            "Раздел/.DS_Store": b"x",
            "__MACOSX/Раздел/._Памятка.docx": b"x",
            "Раздел/Памятка.docx": b"x",
        }
    )
    with zip_source(io.BytesIO(content), limits=_limits()) as source:
        skips = {entry.path: entry.skip for entry in source.entries}
    assert skips["Раздел/Памятка.docx"] == ""
    assert all(skips[path] for path in skips if path != "Раздел/Памятка.docx")


def test_a_folder_is_read_under_the_same_limits(tmp_path):
    (tmp_path / "Раздел" / "Подраздел").mkdir(parents=True)
    (tmp_path / "Раздел" / "Подраздел" / "Памятка.txt").write_text("Текст")
    (tmp_path / "Раздел" / "Ссылка.txt").symlink_to("/etc/passwd")
    os.utime(tmp_path / "Раздел" / "Подраздел" / "Памятка.txt", (1_700_000_000, 1_700_000_000))
    source = folder_source(tmp_path, limits=_limits())
    entries = {entry.path: entry for entry in source.entries}
    assert entries["Раздел/Подраздел"].is_dir
    memo = entries["Раздел/Подраздел/Памятка.txt"]
    assert memo.modified.timestamp() == 1_700_000_000
    assert entries["Раздел/Ссылка.txt"].skip == "символическая ссылка не импортируется"
    out = io.BytesIO()
    assert source.copy(memo, out)[0] == len("Текст".encode())
    (tmp_path / ("Д" * 100 + ".txt")).write_text("x")
    with pytest.raises(ArchiveRefused, match="Слишком длинное имя: 104 символов"):
        folder_source(tmp_path, limits=_limits(name_chars=60))


def test_a_folder_with_too_many_files_is_refused_without_walking_it_all(tmp_path):
    for n in range(30):
        (tmp_path / f"{n}.txt").write_text("")
    with pytest.raises(ArchiveRefused, match="можно не больше 10"):
        folder_source(tmp_path, limits=_limits(files=10))
