package dev.affect.engine.image;

import dev.affect.engine.InvalidInputException;

/** An image whose header declares more pixels than the budget allows; refused before decoding. */
public class ImageTooLargeException extends InvalidInputException {
    private final ImageDimensions declared;
    private final long limit;

    public ImageTooLargeException(String field, ImageDimensions declared, long limit) {
        super(field, "image of " + declared + " pixels (" + declared.pixels() + ") exceeds the limit of "
                + limit + " pixels per image");
        this.declared = declared;
        this.limit = limit;
    }

    public ImageDimensions declared() {
        return declared;
    }

    public long limit() {
        return limit;
    }
}
