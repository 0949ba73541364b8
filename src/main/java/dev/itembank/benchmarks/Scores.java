package dev.itembank.benchmarks;

/** Reads one uploaded cell: empty is missing, otherwise a plain decimal in [0, 1]. */
final class Scores {

    private Scores() {
    }

    /** The score, or NaN for an empty cell; rejects text, NaN, infinities and values outside [0, 1]. */
    static double parse(String text, UploadProblem.Where where) {
        if (text == null || text.isBlank()) {
            return Double.NaN;
        }
        String value = text.strip();
        if (value.length() == 1) {
            char c = value.charAt(0);
            if (c == '0' || c == '1') {
                return c - '0';
            }
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean allowed = (c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '-' || c == '+';
            if (!allowed) {
                throw UploadProblem.at("'" + abbreviate(value) + "' is not a number in [0, 1]", where);
            }
        }
        double score;
        try {
            score = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw UploadProblem.at("'" + abbreviate(value) + "' is not a number in [0, 1]", where);
        }
        return check(score, where);
    }

    static double check(double score, UploadProblem.Where where) {
        if (!Double.isFinite(score)) {
            throw UploadProblem.at("score " + score + " is not finite", where);
        }
        if (score < 0.0 || score > 1.0) {
            throw UploadProblem.at("score " + score + " is outside [0, 1]", where);
        }
        return score == 0.0 ? 0.0 : score; // -0.0 becomes 0.0
    }

    static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 37) + "...";
    }
}
