"""plotting: the style is applied only when asked, and figures stay out of pyplot."""

import io

import matplotlib as mpl
import numpy as np
import pytest

from lecnotes import plotting


@pytest.fixture(autouse=True)
def _restore_rc():
    with mpl.rc_context():
        yield


def test_importing_changes_nothing_and_apply_style_sets_the_palette():
    mpl.rcdefaults()
    assert mpl.rcParams["axes.prop_cycle"].by_key()["color"][0] != plotting.CYCLE[0]
    plotting.apply_style()
    assert mpl.rcParams["axes.prop_cycle"].by_key()["color"] == plotting.CYCLE
    assert mpl.rcParams["figure.facecolor"] == "white"  # reads as a card in dark mode


def test_style_context_restores_previous_settings():
    mpl.rcdefaults()
    with plotting.style():
        assert mpl.rcParams["axes.spines.top"] is False
    assert mpl.rcParams["axes.spines.top"] is True


def test_palette_is_okabe_ito():
    assert plotting.CYCLE[:3] == ["#0072B2", "#E69F00", "#009E73"]


def test_figure_is_not_tracked_by_pyplot():
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    fig, axes = plotting.figure(ncols=2)
    assert plt.get_fignums() == before
    assert len(axes) == 2 and fig.get_size_inches().tolist() == [8.4, 3.6]
    assert plotting.figure()[0].get_size_inches().tolist() == [6.4, 3.6]


def test_log_axes_keeps_decades_only():
    fig, ax = plotting.figure()
    ax.plot([1, 10, 1000], [1, 100, 1e4])
    plotting.log_axes(ax)
    fig.canvas.draw()
    assert ax.get_xscale() == ax.get_yscale() == "log"
    assert ax.xaxis.get_minorticklocs().size == 0
    labels = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
    assert "100" in labels and "1000" in labels


def test_finish_sets_title_labels_and_legend():
    fig, ax = plotting.figure()
    ax.plot([0, 1], label="a line")
    plotting.finish(ax, "Title", "x (s)", "y (m)")
    assert (ax.get_title(), ax.get_xlabel(), ax.get_ylabel()) == ("Title", "x (s)", "y (m)")
    assert ax.get_legend() is not None


def png_size(data):
    from PIL import Image

    return Image.open(io.BytesIO(data)).size


def test_render_has_twice_the_pixels_of_the_figure():
    fig, _ = plotting.figure()  # 6.4 x 3.6 in at 100 dpi: 640 x 360 CSS pixels
    assert plotting.SCALE == 2
    assert png_size(plotting.render(fig)) == (1280, 720)
    assert plotting.css_width(plotting.render(fig)) == 640


@pytest.mark.parametrize("figsize", [(6.4, 3.6), (6.153, 2.337)])  # whole, fractional pixels
def test_pixels_are_the_pixels_of_the_png_without_encoding_it(figsize):
    from PIL import Image

    fig, ax = plotting.figure(figsize=figsize)
    ax.plot([0, 1], [1, 0], label="a line")
    plotting.finish(ax, "Title", "x (s)", "y (m)")
    image = plotting.pixels(fig)
    png = Image.open(io.BytesIO(plotting.render(fig))).convert("RGB")
    assert image.mode == "RGB" and image.size == png.size
    np.testing.assert_array_equal(np.asarray(image), np.asarray(png))
    # So the frame a widget keeps is the same whichever a palette starts from.
    assert plotting.palette(image, 64, "WEBP") == plotting.palette(plotting.render(fig), 64, "WEBP")


@pytest.mark.parametrize("figsize", [(6.4, 3.6), (6.153, 2.337)])
def test_display_png_is_the_palette_of_the_cropped_png_to_the_byte(figsize):
    # display_png skips the PNG in between (it passes the pixels on as a TIFF): same bytes.
    fig, ax = plotting.figure(figsize=figsize)
    plotting.log_axes(ax, x=False)
    for k in range(1, 4):
        ax.plot(np.exp(np.sin(np.arange(300) / (10 * k))), label=f"curve {k}", linewidth=0.8)
    plotting.finish(ax, "A title", "step", "loss (log scale)")
    png, metadata = plotting.display_png(fig)
    assert png == plotting.palette(plotting.render(fig, tight=True), plotting.FIGURE_COLORS)
    assert metadata == {"width": png_size(png)[0] // plotting.SCALE}


def test_palette_keeps_at_most_the_colours_asked_for():
    from PIL import Image

    fig, ax = plotting.figure()
    ax.imshow(np.linspace(0, 1, 10_000).reshape(100, 100))  # a smooth colour map
    for fmt in ("PNG", "WEBP"):
        image = Image.open(io.BytesIO(plotting.palette(plotting.render(fig), 16, fmt)))
        assert image.format == fmt and len(image.convert("RGB").getcolors(256)) <= 16
    with pytest.raises(ValueError, match="colors must be an integer in"):
        plotting.palette(plotting.render(fig), 1)
    with pytest.raises(ValueError, match=r"format must be one of \['PNG', 'WEBP'\]"):
        plotting.palette(plotting.render(fig), 16, "JPEG")


def test_a_figure_a_cell_returns_is_shown_sharp_at_its_own_size():
    # In IPython (a notebook), apply_style makes a returned Figure a PNG with twice the
    # pixels, shown at the figure's width: JupyterLab and the site read "width".
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    plotting.apply_style()
    fig, ax = plotting.figure()
    ax.plot([0, 1])
    data, metadata = shell.display_formatter.format(fig)
    png = data["image/png"]  # bytes; the kernel sends them base64-encoded
    width, _ = png_size(png)
    assert metadata["image/png"] == {"width": width // 2} and 500 < width // 2 <= 640  # cropped
    assert "image/svg+xml" not in data
