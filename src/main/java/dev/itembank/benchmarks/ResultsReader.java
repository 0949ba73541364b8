package dev.itembank.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;

import dev.itembank.api.ApiException;
import dev.itembank.api.ProblemType;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;

/**
 * Reads a results body of any supported media type into a validated {@link ResultsUpload}: CSV (wide or long),
 * JSON, lm-evaluation-harness samples (ndjson, one task), or a whole lm-eval output folder as {@code .tar.gz},
 * {@code .zip} or multipart files. Size limits apply to the body as sent and as decompressed.
 */
@Component
class ResultsReader {

    static final String NDJSON = "application/x-ndjson";
    /** The media types of a whole lm-eval output folder. */
    static final List<String> ARCHIVES = List.of("application/gzip", "application/x-gzip", "application/x-tar+gzip",
            "application/zip", "application/x-zip-compressed", "multipart/form-data");

    private final UploadProperties uploads;

    ResultsReader(UploadProperties uploads) {
        this.uploads = uploads;
    }

    /** Harness options: the model (samples without a results file), metric, task (single samples files), filter. */
    record Options(String model, String metric, String task, String filter) {
    }

    static boolean isArchive(MediaType contentType) {
        return ARCHIVES.stream().anyMatch(type -> MediaType.parseMediaType(type).includes(contentType));
    }

    ResultsUpload read(HttpServletRequest request, MediaType contentType, Options options) throws IOException {
        if (MediaType.MULTIPART_FORM_DATA.includes(contentType)) {
            LmEvalRunReader run = new LmEvalRunReader(runOptions(options));
            try {
                LmEvalArchive.read(request.getParts(), run::accept);
            } catch (ServletException e) {
                throw new ApiException(ProblemType.MALFORMED_REQUEST, "the multipart body cannot be read: "
                        + e.getMessage() + "; nothing was written");
            }
            return run.finish();
        }
        try (InputStream body = UploadBody.open(request, uploads.maxSize())) {
            ResultsUpload upload;
            if (isArchive(contentType)) {
                LmEvalRunReader run = new LmEvalRunReader(runOptions(options));
                LmEvalArchive.read(body, MediaType.parseMediaType("application/zip").includes(contentType)
                        || contentType.getSubtype().contains("zip-compressed") ? LmEvalArchive.Format.ZIP
                        : LmEvalArchive.Format.TAR_GZ, uploads.maxSize().toBytes(), run::accept);
                upload = run.finish();
            } else if (contentType.isCompatibleWith(MediaType.APPLICATION_JSON)) {
                upload = JsonResultsParser.parse(body);
            } else if (contentType.isCompatibleWith(MediaType.parseMediaType(NDJSON))) {
                upload = HarnessSamplesParser.parse(UploadBody.reader(body),
                        new HarnessSamplesParser.Options(options.model(), options.metric() == null ? "acc"
                                : options.metric(), options.task(), options.filter()));
            } else if (contentType.isCompatibleWith(MediaType.parseMediaType("text/csv"))) {
                upload = CsvResultsParser.parse(UploadBody.reader(body));
            } else {
                throw new ApiException(ProblemType.UNSUPPORTED_MEDIA_TYPE, "Content-Type '" + contentType
                        + "' is not a results format", Map.of("supported", List.of("text/csv", "application/json",
                        NDJSON, "application/gzip", "application/zip", "multipart/form-data")));
            }
            UploadBody.finish(body);
            return upload;
        }
    }

    private static LmEvalRunReader.Options runOptions(Options options) {
        if (options.task() != null) {
            throw ApiException.invalid("?task= is for a single samples file; in an lm-eval output folder each "
                    + "samples file names its task", Map.of("parameter", "task"));
        }
        return new LmEvalRunReader.Options(options.model(), options.metric(), options.filter());
    }
}
