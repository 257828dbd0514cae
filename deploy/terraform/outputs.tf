output "configuration_set_name" {
  description = "Pass to SesMessenger(configuration_set=...)."
  value       = aws_sesv2_configuration_set.campaigns.configuration_set_name
}

output "event_queue_url" {
  description = "SQS queue with SES events in SNS envelopes (for the ses-bridge)."
  value       = aws_sqs_queue.ses_events.id
}

output "event_dlq_url" {
  value = aws_sqs_queue.ses_events_dlq.id
}

output "sns_topic_arn" {
  value = aws_sns_topic.ses_events.arn
}

output "worker_policy_arn" {
  value = aws_iam_policy.worker.arn
}

output "dkim_records" {
  description = "CNAME records to publish when the domain is not in Route 53."
  value = [
    for token in aws_sesv2_email_identity.domain.dkim_signing_attributes[0].tokens : {
      name  = "${token}._domainkey.${var.domain}"
      type  = "CNAME"
      value = "${token}.dkim.amazonses.com"
    }
  ]
}
