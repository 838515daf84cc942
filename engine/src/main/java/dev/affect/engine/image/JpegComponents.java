package dev.affect.engine.image;

/**
 * What libjpeg takes a 4-component JPEG for, read from the marker segments before the first scan:
 * YCCK when an Adobe APP14 marker has a transform other than 0, CMYK otherwise (jdapimin.c
 * {@code default_decompress_parms}; the last APP14 before the scan counts, as in jdmarker.c).
 *
 * <p>A plain byte scan: javax.imageio's metadata would have to be read first, and reading it changes
 * how that reader reports a damaged scan afterwards.
 */
enum JpegComponents {
    /** Not a 4-component JPEG, or headers too broken to tell (the decoder itself reports those). */
    OTHER,
    CMYK,
    YCCK;

    /** The kind of the JPEG data starting with SOI. */
    static JpegComponents of(byte[] jpeg) {
        int components = 0;
        int transform = -1; // no Adobe marker
        int i = 2;
        while (i + 1 < jpeg.length && (jpeg[i] & 0xff) == 0xff) {
            int marker = jpeg[i + 1] & 0xff;
            if (marker == 0xff) { // fill byte before a marker
                i++;
                continue;
            }
            if (marker == 0x01 || marker >= 0xd0 && marker <= 0xd7) { // markers without a length
                i += 2;
                continue;
            }
            if (marker == 0xda || marker == 0xd9 || i + 4 > jpeg.length) { // SOS, EOI, or cut off
                break;
            }
            int body = i + 4;
            int length = ((jpeg[i + 2] & 0xff) << 8) | (jpeg[i + 3] & 0xff);
            boolean frame = marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
            if (frame && body + 6 <= jpeg.length) {
                components = jpeg[body + 5] & 0xff; // after precision, height and width
            }
            if (marker == 0xee && length >= 14 && body + 12 <= jpeg.length && isAdobe(jpeg, body)) {
                transform = jpeg[body + 11] & 0xff; // after "Adobe", version, flags0, flags1
            }
            i += 2 + length;
        }
        if (components != 4) {
            return OTHER;
        }
        return transform == -1 || transform == 0 ? CMYK : YCCK;
    }

    private static boolean isAdobe(byte[] jpeg, int at) {
        return jpeg[at] == 'A' && jpeg[at + 1] == 'd' && jpeg[at + 2] == 'o' && jpeg[at + 3] == 'b' && jpeg[at + 4] == 'e';
    }
}
