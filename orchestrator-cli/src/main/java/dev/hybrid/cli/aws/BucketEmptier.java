package dev.hybrid.cli.aws;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;

/**
 * Removes every object version, delete marker and unfinished upload, since S3 refuses to delete a
 * bucket that holds any of them ({@code BucketNotEmpty}).
 */
final class BucketEmptier {
    private static final Logger log = LoggerFactory.getLogger(BucketEmptier.class);
    private static final int DELETE_BATCH = 1000;

    private final S3Client s3;
    private final AwsTarget target;

    BucketEmptier(S3Client s3, AwsTarget target) {
        this.s3 = s3;
        this.target = target;
    }

    /** Returns how many versions and markers were deleted. */
    int empty(String bucket) {
        EmulatorGaps.run(target, "ListMultipartUploads", () -> s3.listMultipartUploadsPaginator(b -> b.bucket(bucket)).uploads()
                .forEach(upload -> s3.abortMultipartUpload(b -> b.bucket(bucket).key(upload.key()).uploadId(upload.uploadId()))));
        List<ObjectIdentifier> pending = new ArrayList<>();
        int deleted = 0;
        boolean versionsListed = EmulatorGaps.run(target, "ListObjectVersions", () -> {
            var pages = s3.listObjectVersionsPaginator(b -> b.bucket(bucket));
            pages.versions().forEach(v -> pending.add(ObjectIdentifier.builder().key(v.key()).versionId(v.versionId()).build()));
            pages.deleteMarkers().forEach(m -> pending.add(ObjectIdentifier.builder().key(m.key()).versionId(m.versionId()).build()));
        });
        if (!versionsListed) {
            pending.clear();
            s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents()
                    .forEach(o -> pending.add(ObjectIdentifier.builder().key(o.key()).build()));
        }
        for (int from = 0; from < pending.size(); from += DELETE_BATCH) {
            List<ObjectIdentifier> batch = pending.subList(from, Math.min(pending.size(), from + DELETE_BATCH));
            List<S3Error> errors = s3.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(batch).quiet(true))).errors();
            if (!errors.isEmpty()) {
                S3Error first = errors.get(0);
                throw new IllegalStateException("could not delete " + errors.size() + " objects from " + bucket
                        + ", e.g. " + first.key() + ": " + first.code() + " " + first.message());
            }
            deleted += batch.size();
        }
        log.debug("emptied {}: {} versions and delete markers", bucket, deleted);
        return deleted;
    }
}
