package dev.itembank.budget;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import dev.itembank.jobs.JobAccepted;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@Tag(name = "Budget", description = "How many items per scenario a target error needs, from the benchmark's own "
        + "backtest")
@RestController
class BudgetController {

    private final BudgetAdvisor advisor;

    BudgetController(BudgetAdvisor advisor) {
        this.advisor = advisor;
    }

    @Operation(operationId = "getBudget", summary = "Advise the items per scenario for a target error",
            description = "Reads the benchmark version's error-against-budget curve (5-fold backtest over its models "
                    + "at 5 to 300 items per scenario) and answers the smallest budget whose every scenario's mean "
                    + "absolute error is at most targetError. The first request for a version queues the backtest "
                    + "and answers 202 with its job; ask again when the job has succeeded.")
    @ApiResponse(responseCode = "200", description = "the advice", content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = BudgetAdvisor.Advice.class)))
    @ApiResponse(responseCode = "202", description = "the backtest is queued or running; follow its Location",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = JobAccepted.class)))
    @GetMapping(path = "/api/v1/benchmarks/{name}/budget", produces = "application/json")
    ResponseEntity<?> advise(@PathVariable String name,
            @Parameter(description = "the mean absolute error per scenario to meet, in (0, 1)", example = "0.02")
            @RequestParam double targetError,
            @Parameter(description = "dataset version (default: the latest)") @RequestParam(required = false)
            Integer version) {
        BudgetAdvisor.Answer answer = advisor.advise(name, targetError, version);
        if (answer instanceof BudgetAdvisor.Answer.Ready ready) {
            return ResponseEntity.ok(ready.advice());
        }
        return JobAccepted.response(((BudgetAdvisor.Answer.Pending) answer).job(), BudgetJob.TYPE);
    }
}
