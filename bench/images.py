"""How long and how much memory the photo pipeline takes for one 12-megapixel phone photo.

    uv run python bench/images.py [--runs 5]
    uv run python bench/images.py --worst [--runs 3]

A 4032 x 3024 JPEG like a phone's (EXIF orientation 6 and a GPS position, ~4 MB) is generated,
then put through notes.photos.processing.process_photo: checked by content, decoded (a phone
JPEG at half size, 2016 px), turned upright, colour converted, stripped of metadata, re-encoded
(JPEG, at most 2400 px) and made into WebP renditions at 480, 960 and 1600 px. Prints the
median time of a few runs (wall clock and CPU: the CPU time means
more on a busy machine), and peak memory measured in a fresh process: tracemalloc (Python
objects: the upload and the encoded files) and the growth of the peak resident set (everything,
including Pillow's pixel buffers, which tracemalloc cannot see).

--worst: the most work one upload request can cause, now that a request holds one photo. Images
at the pixel limit (PHOTO_MAX_PIXELS for JPEG, PHOTO_MAX_DECODED_PIXELS for the rest) in every accepted format that fit under PHOTO_MAX_BYTES (flat or
smooth pictures compress to little), timed the same way; the slowest one's memory is measured too.
JPEG is decoded at a fraction of its size (draft); the other formats are decoded in full.
"""

import argparse
import io
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from PIL import ExifTags, Image, ImageDraw  # noqa: E402

from notes.photos.processing import max_bytes, max_decoded_pixels, max_pixels, process_photo  # noqa: E402


def phone_photo(width=4032, height=3024) -> bytes:
    """A 12 MP photo of a slide on a stage: gradients, noise (sensor grain) and some shapes."""
    red = Image.linear_gradient("L").resize((width, height))
    green = Image.radial_gradient("L").resize((width, height))
    grain = Image.effect_noise((width, height), 24)
    image = Image.merge("RGB", (red, green, grain))
    draw = ImageDraw.Draw(image)
    u = width / 4032  # the drawing scales with the photo
    draw.rectangle(
        (600 * u, 400 * u, 3400 * u, 2000 * u), fill=(245, 245, 240), outline=(30, 90, 180),
        width=round(24 * u),
    )  # fmt: skip
    for row in range(6):
        top = (700 + row * 200) * u
        draw.rectangle((800 * u, top, (3000 - row * 250) * u, top + 60 * u), fill=(60, 60, 60))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "BenchPhone"
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.IFD.Exif] = {ExifTags.Base.DateTimeOriginal: "2025:08:15 10:23:45"}
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (37.0, 33.0, 59.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (126.0, 58.0, 41.0),
    }
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=92, exif=exif.tobytes())
    return buffer.getvalue()


def encoded(image: Image.Image, format: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format, **options)
    return buffer.getvalue()


def smooth(mode: str, size: tuple[int, int]) -> Image.Image:
    """Gradients in every band: compresses well, but far less than a flat colour."""
    bands = [
        Image.linear_gradient("L").resize(size),
        Image.radial_gradient("L").resize(size),
        Image.linear_gradient("L").rotate(90).resize(size),
        Image.radial_gradient("L").resize(size).point(lambda value: 96 + value // 2),
    ]
    return Image.merge(mode, bands[: len(mode)])


def worst_cases(jpeg_size: tuple[int, int], size: tuple[int, int]):
    """(label, bytes) for each accepted format at its pixel limit (JPEG's, or the lower one of
    the formats decoded in full); made one at a time (they are big)."""
    yield "JPEG, phone-like", lambda: phone_photo(*jpeg_size)
    yield "JPEG, progressive", lambda: encoded(smooth("RGB", jpeg_size), "JPEG", progressive=True)
    yield "JPEG, CMYK", lambda: encoded(smooth("CMYK", jpeg_size), "JPEG")
    yield "PNG RGB, flat", lambda: encoded(Image.new("RGB", size, "white"), "PNG")
    yield "PNG RGB, smooth", lambda: encoded(smooth("RGB", size), "PNG")
    yield "PNG RGBA, smooth", lambda: encoded(smooth("RGBA", size), "PNG")
    yield (
        "PNG RGBA, flat half-transparent",
        lambda: encoded(Image.new("RGBA", size, (1, 2, 3, 128)), "PNG"),
    )
    yield (
        "PNG palette + transparency",
        lambda: encoded(Image.new("P", size, 0), "PNG", transparency=0),
    )
    yield "PNG 16-bit grey", lambda: encoded(Image.new("I;16", size, 1000), "PNG")
    yield "GIF, flat", lambda: encoded(Image.new("P", size, 0), "GIF")
    yield (
        "WebP lossless, flat",
        lambda: encoded(Image.new("RGB", size, "white"), "WEBP", lossless=True),
    )
    yield "WebP lossy, smooth", lambda: encoded(smooth("RGB", size), "WEBP", quality=80)
    yield "HEIF, smooth", lambda: encoded(smooth("RGB", size), "HEIF")


def time_runs(data: bytes, runs: int) -> tuple[float, float]:
    """Median wall and CPU seconds of process_photo over a few runs."""
    times, cpu_times = [], []
    for _ in range(runs):
        started, cpu_started = time.perf_counter(), time.process_time()
        process(data)
        times.append(time.perf_counter() - started)
        cpu_times.append(time.process_time() - cpu_started)
    return statistics.median(times), statistics.median(cpu_times)


def memory_in_fresh_process(data: bytes) -> tuple[float, float, float]:
    with tempfile.NamedTemporaryFile() as file:
        file.write(data)
        file.flush()
        child = subprocess.run(
            [sys.executable, __file__, "--measure-memory", file.name],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
    python_peak, rss_growth, baseline = (float(v) for v in child.stdout.split())
    return python_peak, rss_growth, baseline


def worst(runs: int) -> None:
    width = 10_000
    jpeg_size = (width, max_pixels() // width)
    size = (width, max_decoded_pixels() // width)
    print(
        f"every accepted format at its pixel limit: JPEG {jpeg_size[0]} x {jpeg_size[1]} "
        f"({jpeg_size[0] * jpeg_size[1] / 1e6:.0f} MP), the others {size[0]} x {size[1]} "
        f"({size[0] * size[1] / 1e6:.0f} MP); median of {runs} runs, wall and CPU seconds"
    )
    slowest = (0.0, "", b"")
    for label, make in worst_cases(jpeg_size, size):
        data = make()
        if len(data) > max_bytes():
            print(f"  {label:34} {len(data) / 2**20:6.1f} MB: over the size limit, skipped")
            continue
        wall, cpu = time_runs(data, runs)
        print(f"  {label:34} {len(data) / 2**20:6.1f} MB  {wall:5.2f} s wall  {cpu:5.2f} s CPU")
        if cpu > slowest[0]:
            slowest = (cpu, label, data)
    cpu, label, data = slowest
    _python_peak, rss_growth, _baseline = memory_in_fresh_process(data)
    print(
        f"slowest accepted upload: {label}, {cpu:.2f} s CPU; peak RSS grew by {rss_growth:.0f} MB "
        f"(load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)"
    )


def process(data: bytes):
    return process_photo(SimpleUploadedFile("IMG_0001.jpg", data, content_type="image/jpeg"))


def max_rss_mb() -> float:
    """The process's peak resident memory. Linux's VmHWM starts afresh at exec; ru_maxrss would
    carry over the parent's peak into the child (and is the fallback elsewhere)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_memory(path: str) -> None:
    """Run in a fresh process: one photo, peak memory above what the process held before."""
    data = Path(path).read_bytes()
    before = max_rss_mb()
    tracemalloc.start()
    process(data)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{peak / 2**20:.1f} {max_rss_mb() - before:.1f} {before:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--size", default="4032x3024", help="width x height of the photo (default: 12 MP)"
    )
    parser.add_argument(
        "--worst", action="store_true", help="every accepted format at the pixel limit instead"
    )
    parser.add_argument("--measure-memory", metavar="FILE", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure_memory:
        measure_memory(args.measure_memory)
        return
    if args.worst:
        worst(args.runs)
        return

    width, height = (int(side) for side in args.size.lower().split("x"))
    data = phone_photo(width, height)
    print(
        f"input: {width} x {height} JPEG ({width * height / 1e6:.0f} MP), "
        f"{len(data) / 2**20:.1f} MB, EXIF orientation 6 + GPS"
    )

    times, cpu_times = [], []
    for _ in range(args.runs):
        started, cpu_started = time.perf_counter(), time.process_time()
        result = process(data)
        times.append(time.perf_counter() - started)
        cpu_times.append(time.process_time() - cpu_started)
    stored = [result.original, *result.renditions]
    for encoded in stored:
        with Image.open(io.BytesIO(encoded.data)) as image:
            assert image.getexif().get_ifd(ExifTags.IFD.GPSInfo) == {}, "GPS survived"
            assert dict(image.getexif()) == {}, "EXIF survived"
    assert result.original.height > result.original.width, "not turned upright"
    print(
        "output: "
        + ", ".join(
            f"{e.extension.upper()} {e.width}x{e.height} {len(e.data) / 1024:.0f} KB"
            for e in stored
        )
    )
    print(
        f"time: median {statistics.median(times):.2f} s wall, "
        f"{statistics.median(cpu_times):.2f} s CPU over {args.runs} runs "
        f"(wall min {min(times):.2f}, max {max(times):.2f}; load average now "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)"
    )

    python_peak, rss_growth, baseline = memory_in_fresh_process(data)
    print(
        f"memory (fresh process, one photo): tracemalloc peak {python_peak:.1f} MB; "
        f"peak RSS grew by {rss_growth:.1f} MB (from {baseline:.1f} MB after Django setup)"
    )


if __name__ == "__main__":
    main()
