interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}

/**
 * A CloudWatch alarm for every Lambda function (any error) and every dead-letter queue (any
 * message), notifying the ops topic. Derived from the compiled template so that a function or queue
 * added later is covered without anyone remembering to.
 *
 * @example
 * Object.assign(template.Resources, operationalAlarms(template.Resources, 'OpsAlarmsTopic'));
 */
export function operationalAlarms(
  resources: Readonly<Record<string, TemplateResource>>,
  opsTopicId: string,
): Record<string, unknown> {
  const alarms: Record<string, unknown> = {};
  const notify = { AlarmActions: [{ Ref: opsTopicId }], OKActions: [{ Ref: opsTopicId }] };
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (resource.Type === 'AWS::Lambda::Function') {
      const name = logicalId.replace(/LambdaFunction$/, '');
      alarms[`${name}ErrorsAlarm`] = alarm({
        AlarmDescription: `${name} failed: its event will be retried, then dead-lettered. See its logs.`,
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Statistic: 'Sum',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: logicalId } }],
        ...notify,
      });
    }
    if (resource.Type === 'AWS::SQS::Queue' && logicalId.endsWith('DeadLetterQueue')) {
      alarms[`${logicalId}DepthAlarm`] = alarm({
        AlarmDescription: `${logicalId} holds messages that could not be processed: fix the cause, then redrive.`,
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Statistic: 'Maximum',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId, 'QueueName'] } }],
        ...notify,
      });
    }
  }
  return alarms;
}

function alarm(properties: Record<string, unknown>) {
  return {
    Type: 'AWS::CloudWatch::Alarm',
    Properties: {
      Period: 300,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      ...properties,
    },
  };
}
