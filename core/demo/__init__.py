"""
The deterministic demo dataset: two synthetic pure-red PeLEDs.

"Control (synthetic)" and "Treated (synthetic)" are shaped on Ren et al.,
ACS Materials Lett. 6, 4115 (2024), doi:10.1021/acsmaterialslett.4c00912.
Everything here is synthetic demo data and is labelled so wherever it appears.
"""

from __future__ import annotations

from core.demo.efficiency import demo_jvl
from core.demo.lifetime import demo_lifetime
from core.demo.spectra import (
    CONTROL,
    SYNTHETIC,
    TREATED,
    demo_spectra_bias,
    demo_spectra_time,
)
from core.models import Device

__all__ = ["CONTROL", "TREATED", "SYNTHETIC", "demo_devices"]


def demo_devices() -> list[Device]:
    """The two demo devices with spectra over time and bias, J-V-L and lifetime."""
    jvl = demo_jvl()
    lifetime = demo_lifetime()
    devices = []
    for name in (CONTROL, TREATED):
        sweep = jvl.get(name)
        devices.append(
            Device(
                name=name,
                spectra_time=demo_spectra_time(name),
                spectra_bias=demo_spectra_bias(name),
                jvl=(sweep,) if sweep is not None else (),
                lifetime=tuple(lifetime.get(name, ())),
                synthetic=True,
                metadata={"source": SYNTHETIC},
            )
        )
    return devices
