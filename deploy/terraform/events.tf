data "aws_caller_identity" "current" {}

# SES event publishing -> SNS topic -> SQS queue (read by `notifier ses-bridge`).
# The topic is not KMS-encrypted: SES can only publish to an encrypted topic through a
# customer-managed key whose policy admits ses.amazonaws.com; add one here if required.
resource "aws_sns_topic" "ses_events" {
  name = "${var.name_prefix}-ses-events"
}

data "aws_iam_policy_document" "topic" {
  statement {
    sid       = "SesPublishesThisConfigurationSetOnly"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.ses_events.arn]

    principals {
      type        = "Service"
      identifiers = ["ses.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "AWS:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }

    condition {
      test     = "ArnLike"
      variable = "AWS:SourceArn"
      values   = [aws_sesv2_configuration_set.campaigns.arn]
    }
  }
}

resource "aws_sns_topic_policy" "ses_events" {
  arn    = aws_sns_topic.ses_events.arn
  policy = data.aws_iam_policy_document.topic.json
}

resource "aws_sqs_queue" "ses_events_dlq" {
  name                      = "${var.name_prefix}-ses-events-dlq"
  message_retention_seconds = 1209600
  sqs_managed_sse_enabled   = true
}

resource "aws_sqs_queue" "ses_events" {
  name                       = "${var.name_prefix}-ses-events"
  message_retention_seconds  = 1209600
  visibility_timeout_seconds = 60
  receive_wait_time_seconds  = 20
  sqs_managed_sse_enabled    = true

  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.ses_events_dlq.arn
    maxReceiveCount     = var.event_queue_max_receives
  })
}

data "aws_iam_policy_document" "queue" {
  statement {
    sid       = "TopicDeliversToQueue"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.ses_events.arn]

    principals {
      type        = "Service"
      identifiers = ["sns.amazonaws.com"]
    }

    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [aws_sns_topic.ses_events.arn]
    }
  }
}

resource "aws_sqs_queue_policy" "ses_events" {
  queue_url = aws_sqs_queue.ses_events.id
  policy    = data.aws_iam_policy_document.queue.json
}

# Raw delivery off: each SQS message is the SNS envelope whose "Message" holds the SES event
# JSON (what the tracking parser expects).
resource "aws_sns_topic_subscription" "queue" {
  topic_arn            = aws_sns_topic.ses_events.arn
  protocol             = "sqs"
  endpoint             = aws_sqs_queue.ses_events.arn
  raw_message_delivery = false

  depends_on = [aws_sqs_queue_policy.ses_events]
}
