# Least privilege for the workers: send raw email only from our identity, only through our
# configuration set, only from the listed sender addresses; read the quota; consume the
# event queue. Nothing else.
data "aws_iam_policy_document" "worker" {
  statement {
    sid     = "SendCampaignEmail"
    actions = ["ses:SendRawEmail"]
    resources = [
      aws_sesv2_email_identity.domain.arn,
      aws_sesv2_configuration_set.campaigns.arn,
    ]

    condition {
      test     = "StringEquals"
      variable = "ses:FromAddress"
      values   = [for local in var.sender_local_parts : "${local}@${var.domain}"]
    }
  }

  statement {
    sid       = "ReadSendQuota"
    actions   = ["ses:GetSendQuota"]
    resources = ["*"] # GetSendQuota has no resource-level permissions
  }

  statement {
    sid = "ConsumeSesEvents"
    actions = [
      "sqs:ReceiveMessage",
      "sqs:DeleteMessage",
      "sqs:ChangeMessageVisibility",
      "sqs:GetQueueAttributes",
      "sqs:GetQueueUrl",
    ]
    resources = [aws_sqs_queue.ses_events.arn]
  }
}

resource "aws_iam_policy" "worker" {
  name        = "${var.name_prefix}-worker"
  description = "pickup-notifier workers: SES SendRawEmail via the campaign configuration set, quota, SES event queue"
  policy      = data.aws_iam_policy_document.worker.json
}

resource "aws_iam_role_policy_attachment" "worker" {
  count      = var.worker_role_name == "" ? 0 : 1
  role       = var.worker_role_name
  policy_arn = aws_iam_policy.worker.arn
}
