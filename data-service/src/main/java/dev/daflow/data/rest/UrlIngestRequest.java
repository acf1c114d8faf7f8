package dev.daflow.data.rest;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * {@code POST /datasets}: download an archive and ingest it.
 *
 * @param name the dataset name to store it under
 * @param url http(s) address of the archive (zip, tar or tar.gz)
 * @param format what the archive holds, one of the formats of {@code GET /datasets/formats}
 */
public record UrlIngestRequest(
    @Schema(description = "dataset name: 1-128 letters, digits, '.', '_', '-'",
        examples = "mnist-m") String name,
    @Schema(description = "http(s) address of a zip, tar or tar.gz archive",
        examples = "https://example.org/mnist_m.tar.gz") String url,
    @Schema(description = "image-folder-zip, mnist-m-archive, mnist-idx-archive, usps-archive "
        + "or svhn-mat-archive", examples = "mnist-m-archive") String format) {}
