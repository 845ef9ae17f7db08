from celery import shared_task

from audit import checkpoints


@shared_task(name="audit.checkpoint")
def audit_checkpoint():
    """Beat: sign and publish a checkpoint. Returns the tree size signed (None when the log is empty)."""
    row = checkpoints.checkpoint_create()
    return row.tree_size if row else None


@shared_task(name="audit.timestamp")
def audit_timestamp():
    """Beat: time-stamp the checkpoints and intake batches still unstamped (the authority may have been down)."""
    from audit import timestamps

    return timestamps.stamp_pending()
