package dev.itembank.psychometrics.irt;

import java.util.Locale;

/**
 * Unidimensional logistic item response models in mirt's slope-intercept form,
 * P(theta) = g + (u - g) * sigmoid(a * theta + d).
 */
public enum ItemModel {
    /** One slope shared by all items (equivalent to a Rasch model with a free latent variance); g = 0, u = 1. */
    ONE_PL(1),
    /** Slope a and intercept d per item; g = 0, u = 1. */
    TWO_PL(2),
    /** Adds a lower asymptote (guessing) g per item; u = 1. */
    THREE_PL(3),
    /** Adds an upper asymptote (slipping) u per item. */
    FOUR_PL(4);

    private final int parametersPerItem;

    ItemModel(int parametersPerItem) {
        this.parametersPerItem = parametersPerItem;
    }

    /** Free parameters per item (ONE_PL: the intercept; its shared slope is counted once per model). */
    public int parametersPerItem() {
        return this == ONE_PL ? 1 : parametersPerItem;
    }

    public boolean hasGuessing() {
        return this == THREE_PL || this == FOUR_PL;
    }

    public boolean hasUpperAsymptote() {
        return this == FOUR_PL;
    }

    public static ItemModel parse(String code) {
        return switch (code.toLowerCase(Locale.ROOT)) {
            case "1pl" -> ONE_PL;
            case "2pl" -> TWO_PL;
            case "3pl" -> THREE_PL;
            case "4pl" -> FOUR_PL;
            default -> throw new IllegalArgumentException("unknown item model '" + code + "': use 1pl, 2pl, 3pl or 4pl");
        };
    }
}
