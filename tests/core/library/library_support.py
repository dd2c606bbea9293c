"""
Inputs and worker processes shared by the library tests.

``demo_inputs`` writes the synthetic demo devices as rig files (spectra over
time, a J-V-L sweep, a lifetime log: all three analyses run).
``REALDATA_DEVICES`` groups every file of ../shared/realdata into devices.
The ``*_worker`` functions run in child processes (concurrency tests).
"""

from __future__ import annotations

import functools
import time

from core.demo import demo_devices
from core.library import DeviceRecord, FileInput, Library
from tests.core.report.report_support import SPECTRA_OPTIONS, demo_files

__all__ = [
    "SPECTRA_OPTIONS",
    "REALDATA_DEVICES",
    "demo_inputs",
    "small_inputs",
    "save_demo",
    "writer_worker",
    "peer_worker",
    "startup_worker",
]

OLED_GRID = {"wavelength_grid": [380.0, 780.0, 0.5]}

#: Every file of ../shared/realdata, grouped into devices: (device name,
#: [(file, kind)], reader options). A sweep goes with its EL spectra; the
#: other files are devices of their own.
REALDATA_DEVICES: list[tuple[str, list[tuple[str, str]], dict]] = [
    (
        "OLED-004 A1-1",
        [
            ("bsubpc-oled_OLED-004_A1-1_JVL.txt", "jvl"),
            ("bsubpc-oled_OLED-004_A1-1_counts_EL-vs-V.txt", "spectra"),
        ],
        OLED_GRID,
    ),
    (
        "OLED-009 D5-1",
        [
            ("bsubpc_OLED-009_D5-1_JVL.txt", "jvl"),
            ("bsubpc_OLED-009_D5-1_counts_EL-vs-V.txt", "spectra"),
        ],
        OLED_GRID,
    ),
    (
        "Simone NIR PeLED",
        [
            ("simone-peled_DC_data.dat", "auto"),
            ("simone-peled_spectrum1_SpectraWiz.IRR", "auto"),
            ("simone-peled_angle_lifetime-program-format.txt", "lifetime"),
        ],
        {},
    ),
] + [
    (name.rsplit(".", 1)[0], [(name, "auto")], {})
    for name in (
        "hzb-pl_T02f1_200ms_1.txt",
        "hzb-pl_T02f3_500ms_gs_cont_1hr__newSpotf3_1_raw.txt",
        "hzb-pl_T02f3_500ms_gs_cont__newSpotf3_2.txt",
        "pbInOut_wasatch-enlighten-scope.csv",
        "pbLEDs_Maya_workbook_HLMP_CM30.xlsx",
        "pbLEDs_Norlux_Red_dark_short_SpectraSuite.txt",
        "pbLEDs_Norlux_Red_short_SpectraSuite.txt",
        "pbLEDs_white_SpectraSuite.txt",
        "pbLEDs_whitedark_SpectraSuite.txt",
        "photobiologyInOut_avantes-avaspec-e-irrad.csv",
        "photobiologyInOut_oo-spectrum.OVIrrad",
        "photobiologyLEDs_Norlux_Green_GREEN_short_SpectraSuite.txt",
        "photobiologyLEDs_Norlux_Green_dark_short_SpectraSuite.txt",
    )
]


@functools.cache
def _demo(index: int):
    return demo_files(demo_devices()[index], ("control", "treated")[index])


def demo_inputs(index: int = 0) -> list[FileInput]:
    """The demo device ``index`` (0 control, 1 treated) as uploaded files."""
    files, group = _demo(index)
    roles = {entry["name"]: entry["role"] for entry in group["files"]}
    return [FileInput(name, data, roles[name]) for name, data in files.items()]


def save_demo(library: Library, name: str = "A1", index: int = 0, **kwargs) -> int:
    """Save a demo device; ``kwargs`` go to the record or ``user``."""
    user = kwargs.pop("user", None)
    record = DeviceRecord(name=name, **kwargs)
    extra = {"user": user} if user is not None else {}
    return library.save_device(
        record, demo_inputs(index), reader_options=SPECTRA_OPTIONS, **extra
    )


def small_inputs(worker: int, number: int) -> list[FileInput]:
    """A J-V-L sweep and an EL spectrum every save shares (analysed) and a run
    log of its own (an attachment): the results are the same for every save,
    each device still has a file no other device has."""
    sweep = "Voltage (V)\tJ (mA/cm2)\tL (cd/m2)\n" + "".join(
        f"{v / 10:.1f}\t{0.01 * v * v:.4g}\t{max(0.0, 5.0 * (v - 20)):.4g}\n"
        for v in range(0, 61)
    )
    spectrum = "Wavelength (nm),Intensity\n" + "".join(
        f"{500 + i},{1.0 / (1 + ((i - 120) / 15) ** 2):.6g}\n" for i in range(240)
    )
    log = f"run log of writer {worker}, save {number}\n"
    return [
        FileInput("sweep.txt", sweep.encode(), "jvl"),
        FileInput("el.csv", spectrum.encode(), "spectra"),
        FileInput(f"log_{worker}_{number}.txt", log.encode(), "attachment"),
    ]


def writer_worker(url, worker, saves, results, barrier, queue) -> None:
    """One of several processes saving ``saves`` devices at once (the files
    are read again on each save: a save checks them)."""
    try:
        library = Library(url)
        inputs = [small_inputs(worker, n) for n in range(saves)]
        barrier.wait(timeout=120)
        start = time.perf_counter()
        for number, files in enumerate(inputs):
            record = DeviceRecord(
                name=f"w{worker}-{number}", batch=f"writer {worker}", tags=("load",)
            )
            library.save_device(record, files, results=results)
        queue.put((worker, time.perf_counter() - start, None))
        library.close()
    except BaseException as error:  # report to the parent, never hang it
        queue.put((worker, None, repr(error)))


def peer_worker(url, name, inbox, outbox) -> None:
    """An 'app process': on "save" it saves a device, on "list" it answers with
    the names it sees (its Library lives as long as the process)."""
    library = Library(url)
    try:
        while True:
            command = inbox.get(timeout=120)
            if command == "save":
                outbox.put(save_demo(library, name))
            elif command == "list":
                outbox.put(sorted(d.record.name for d in library.list_devices()))
            else:
                break
    except BaseException as error:
        outbox.put(repr(error))
    finally:
        library.close()


def startup_worker(url, barrier, queue) -> None:
    """Open a library on a database nobody has migrated yet, all at once."""
    try:
        barrier.wait(timeout=120)
        Library(url).close()
        queue.put(None)
    except BaseException as error:
        queue.put(repr(error))
