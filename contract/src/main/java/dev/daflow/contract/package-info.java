/**
 * The training-request contract: what a valid training request is, defined once for the events
 * ({@code TrainingRequested}), ml-core ({@code TrainingConfig}), trainer-service ({@code POST
 * /jobs}, {@code RequestValidator}) and the CLI ({@code daflow train}, {@code daflow local
 * train}). Plain Java without ND4J.
 *
 * <ul>
 *   <li>Vocabulary, each constant with its wire name ({@link dev.daflow.contract.Named}): {@link
 *       dev.daflow.contract.Method}, {@link dev.daflow.contract.Tuning.Solver}, {@link
 *       dev.daflow.contract.Augmentation}, {@link dev.daflow.contract.Network}.
 *   <li>Limits: {@link dev.daflow.contract.Limits} and the tuning knobs' own ({@link
 *       dev.daflow.contract.Tuning.Knob}), each a {@link dev.daflow.contract.Range}; one check of
 *       a request's values, {@link dev.daflow.contract.RequestRules}, returning named {@link
 *       dev.daflow.contract.Problem}s.
 *   <li>Defaults: per method, {@link dev.daflow.contract.Method#recipe()}; per network, {@link
 *       dev.daflow.contract.Network#defaultTuning()}; the default network of a pair of domains,
 *       {@link dev.daflow.contract.Network#defaultFor}.
 *   <li>Per-method facts: {@link dev.daflow.contract.Method} (paper, recipe, which knobs apply).
 * </ul>
 *
 * <p><b>Adding a tuning knob touches one file of the contract, {@code Tuning.java}</b>: a
 * component in {@link dev.daflow.contract.Tuning} and in {@link
 * dev.daflow.contract.Tuning.Request}, a {@link dev.daflow.contract.Tuning.Knob} constant with its
 * limit and methods, a line in {@code Request.over} and in {@code Knob.requested}. Requests,
 * events, {@code POST /jobs}, checkpoints and model cards then carry it and every check covers
 * it; its uses are the CLI option that sets it ({@code cli/TrainingOptions}) and the ml-core
 * procedure that applies it.
 *
 * <p>Compatibility: the wire names and JSON field names are those of the requests, configs and
 * checkpoints written before this module existed; the enums' Java names are what stored configs
 * hold ({@code "method": "DANN"}, {@code "solver": "SGD"}), so they must not be renamed.
 */
package dev.daflow.contract;
