package dev.affect.report.plot;

import java.awt.image.BufferedImage;

/**
 * One rendered figure of a report: {@code name} becomes {@code plots/<name>.png}, {@code title} its
 * caption and {@code alt} the text a screen reader (or a broken image) shows instead.
 */
public record Plot(String name, String title, String alt, BufferedImage image) {
    public Plot {
        if (!name.matches("[a-z0-9][a-z0-9-]*")) {
            throw new IllegalArgumentException("plot name must be lower-case letters, digits and dashes: '" + name + "'");
        }
    }

    public String fileName() {
        return name + ".png";
    }

    public int width() {
        return image.getWidth();
    }

    public int height() {
        return image.getHeight();
    }
}
