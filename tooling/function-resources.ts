import { ledgerConfigSchema } from '../functions/config/ledger-config';
import { parseConfig } from '../functions/config/parse-config';
import type {
  EventRule,
  FunctionDeclaration,
  PolicyStatement,
  StackContext,
  Trigger,
} from './function-declaration';

// Lambda caps all environment variables of a function at 4 KB together.
const ENVIRONMENT_DOCUMENT_MAX_BYTES = 3500;
// EventBridge's most patient delivery: a day of retries before an event is dead-lettered.
const RULE_TARGET_RETRY_POLICY = { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 };
const LEDGER_TABLE = 'LedgerTable';
const EMAIL_IDEMPOTENCY_PARTITION = 'email-idempotency';

const getAtt = (logicalId: string) => ({ 'Fn::GetAtt': [logicalId, 'Arn'] });

/**
 * The `functions` section Serverless compiles: handler, role, environment (each configuration
 * document validated with the schema the function parses it with), queue source and the retries
 * and failure destination of asynchronous invocations.
 *
 * @example
 * // serverless.yml: functions: ${mlops:functions}
 * const functions = serverlessFunctions(ALL_FUNCTIONS, stack);
 */
export function serverlessFunctions(
  declarations: readonly FunctionDeclaration[],
  stack: StackContext,
): Record<string, unknown> {
  return Object.fromEntries(
    declarations.map((declaration) => {
      const trigger = declaration.trigger(stack);
      return [
        declaration.name,
        {
          handler: `functions/${declaration.name}.handler`,
          description: declaration.description,
          role: roleIdOf(declaration),
          ...(declaration.timeout === undefined ? {} : { timeout: declaration.timeout }),
          environment: environmentOf(declaration, stack),
          ...invocationOf(trigger),
        },
      ];
    }),
  );
}

/**
 * The resources each function brings: its role (trust, own logs, queue source, declared calls,
 * e-mails, failure destination), its rules with their leave to invoke it or the queue policy that
 * lets only them send, and the ledger's policies on the roles of the functions that use it.
 *
 * @example
 * // serverless.yml: resources: [..., ${mlops:functions.resources}]
 * const resources = { Resources: functionResources(ALL_FUNCTIONS, stack) };
 */
export function functionResources(
  declarations: readonly FunctionDeclaration[],
  stack: StackContext,
): Record<string, unknown> {
  return {
    ...Object.fromEntries(
      declarations.flatMap((declaration) => {
        const trigger = declaration.trigger(stack);
        return [
          [roleIdOf(declaration), roleOf(declaration, trigger, stack)],
          ...triggerResources(declaration, trigger, stack),
        ];
      }),
    ),
    ...ledgerPolicies(declarations, stack),
  };
}

function roleIdOf(declaration: FunctionDeclaration): string {
  return `${pascalCase(declaration.name)}Role`;
}

function functionIdOf(declaration: FunctionDeclaration): string {
  return `${pascalCase(declaration.name)}LambdaFunction`;
}

function pascalCase(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

function environmentOf(
  declaration: FunctionDeclaration,
  stack: StackContext,
): Record<string, unknown> {
  const { configuration } = declaration;
  return {
    POWERTOOLS_SERVICE_NAME: declaration.name,
    ...(declaration.recordsDecisions
      ? {
          LEDGER_CONFIG: configurationDocument(
            `LEDGER_CONFIG of ${declaration.name}`,
            ledgerConfigSchema,
            {
              ...stack.ledger,
              stage: stack.stage,
            },
          ),
        }
      : {}),
    ...(configuration === undefined
      ? {}
      : {
          [configuration.variable]: configurationDocument(
            `${configuration.variable} of ${declaration.name}`,
            configuration.schema,
            configuration.build(stack),
          ),
        }),
    ...(declaration.sendsEmails
      ? { NOTIFICATIONS_TOPIC_NAME: `${stack.stackPrefix}-notifications` }
      : {}),
    ...declaration.environment,
  };
}

/** The document as the function will parse it, refused now if it would not parse or fit. */
function configurationDocument(
  source: string,
  schema: Parameters<typeof parseConfig>[0],
  document: unknown,
): string {
  const json = JSON.stringify(parseConfig(schema, document, source));
  if (Buffer.byteLength(json) > ENVIRONMENT_DOCUMENT_MAX_BYTES) {
    throw new Error(
      `${source} is ${Buffer.byteLength(json)} bytes as JSON; a Lambda environment holds at most ${ENVIRONMENT_DOCUMENT_MAX_BYTES} (fewer routes or shorter names)`,
    );
  }
  return json;
}

function invocationOf(trigger: Trigger): Record<string, unknown> {
  switch (trigger.kind) {
    case 'rules':
      return {
        maximumRetryAttempts: trigger.invocationRetries,
        destinations: { onFailure: { type: 'sqs', arn: getAtt(trigger.deadLetterQueue) } },
      };
    case 'queue':
      return {
        events: [
          {
            sqs: {
              arn: getAtt(trigger.queue),
              batchSize: trigger.batchSize,
              ...(trigger.batchWindowSeconds === undefined
                ? {}
                : { maximumBatchingWindow: trigger.batchWindowSeconds }),
              functionResponseType: 'ReportBatchItemFailures',
            },
          },
        ],
      };
    case 'pipeline-step':
      return {};
  }
}

function roleOf(declaration: FunctionDeclaration, trigger: Trigger, stack: StackContext) {
  const statements: PolicyStatement[] = [
    {
      Sid: 'WriteOwnLogs',
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: {
        'Fn::Sub': `arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:/aws/lambda/${stack.stackPrefix}-${declaration.name}:*`,
      },
    },
    ...triggerStatements(trigger),
    ...declaration.permissions(stack),
    ...(declaration.sendsEmails ? emailStatements() : []),
    ...(trigger.kind === 'rules'
      ? [
          {
            Sid: 'ParkFailedEvents',
            Action: 'sqs:SendMessage',
            Resource: getAtt(trigger.deadLetterQueue),
          },
        ]
      : []),
  ];
  return {
    Type: 'AWS::IAM::Role',
    Properties: {
      AssumeRolePolicyDocument: policyDocument([
        {
          Effect: 'Allow',
          Principal: { Service: 'lambda.amazonaws.com' },
          Action: 'sts:AssumeRole',
        },
      ]),
      Policies: [
        {
          PolicyName: declaration.name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`),
          PolicyDocument: policyDocument(statements.map(allowed)),
        },
      ],
    },
  };
}

function triggerStatements(trigger: Trigger): PolicyStatement[] {
  if (trigger.kind !== 'queue') return [];
  return [
    {
      Sid: `Consume${trigger.queue}`,
      Action: [
        'sqs:ReceiveMessage',
        'sqs:DeleteMessage',
        'sqs:ChangeMessageVisibility',
        'sqs:GetQueueAttributes',
      ],
      Resource: getAtt(trigger.queue),
    },
  ];
}

function emailStatements(): PolicyStatement[] {
  return [
    { Sid: 'PublishEmails', Action: 'sns:Publish', Resource: { Ref: 'NotificationsTopic' } },
    // The topic is encrypted with the stack's key.
    {
      Sid: 'EncryptForTheTopic',
      Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
      Resource: getAtt('NotificationsKey'),
    },
  ];
}

function triggerResources(
  declaration: FunctionDeclaration,
  trigger: Trigger,
  stack: StackContext,
): Array<[string, unknown]> {
  switch (trigger.kind) {
    case 'rules':
      return trigger.rules.flatMap((rule): Array<[string, unknown]> => [
        [rule.id, ruleOf(rule, getAtt(functionIdOf(declaration)), trigger.deadLetterQueue, stack)],
        [
          `${rule.id}InvokesFunction`,
          {
            Type: 'AWS::Lambda::Permission',
            Properties: {
              Action: 'lambda:InvokeFunction',
              FunctionName: getAtt(functionIdOf(declaration)),
              Principal: 'events.amazonaws.com',
              SourceArn: getAtt(rule.id),
            },
          },
        ],
      ]);
    case 'queue':
      return [
        ...trigger.rules.map((rule): [string, unknown] => [
          rule.id,
          ruleOf(rule, getAtt(trigger.queue), trigger.deadLetterQueue, stack),
        ]),
        [trigger.queuePolicy, queuePolicyOf(trigger)],
      ];
    case 'pipeline-step':
      return [];
  }
}

function ruleOf(rule: EventRule, target: unknown, deadLetterQueue: string, stack: StackContext) {
  return {
    Type: 'AWS::Events::Rule',
    Properties: {
      Name: `${stack.stackPrefix}-${rule.name}`,
      Description: rule.description,
      ...(rule.match.kind === 'pattern'
        ? { EventPattern: rule.match.pattern, State: 'ENABLED' }
        : {
            ScheduleExpression: rule.match.expression,
            State: rule.match.enabled ? 'ENABLED' : 'DISABLED',
          }),
      Targets: [
        {
          Id: rule.targetId,
          Arn: target,
          ...(rule.messageGroupId === undefined
            ? {}
            : { SqsParameters: { MessageGroupId: rule.messageGroupId } }),
          RetryPolicy: RULE_TARGET_RETRY_POLICY,
          DeadLetterConfig: { Arn: getAtt(deadLetterQueue) },
        },
      ],
    },
  };
}

/**
 * Only the function's rules may send to its queue (and to the queue's dead-letter queue when they
 * dead-letter there), by each rule's ARN, not a name prefix another stage's rules could share;
 * nothing without TLS.
 */
function queuePolicyOf(trigger: Extract<Trigger, { kind: 'queue' }>) {
  const queues = [trigger.queue, trigger.queueDeadLetterQueue];
  const receivers =
    trigger.deadLetterQueue === trigger.queueDeadLetterQueue ? queues : [trigger.queue];
  return {
    Type: 'AWS::SQS::QueuePolicy',
    Properties: {
      Queues: queues.map((id) => ({ Ref: id })),
      PolicyDocument: policyDocument([
        {
          Sid: 'OnlyItsRulesSend',
          Effect: 'Allow',
          Principal: { Service: 'events.amazonaws.com' },
          Action: 'sqs:SendMessage',
          Resource: receivers.map((id) => getAtt(id)),
          Condition: {
            ArnEquals: { 'aws:SourceArn': trigger.rules.map((rule) => getAtt(rule.id)) },
          },
        },
        {
          Sid: 'DenyInsecureTransport',
          Effect: 'Deny',
          Principal: '*',
          Action: 'sqs:*',
          Resource: queues.map((id) => getAtt(id)),
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ]),
    },
  };
}

/**
 * The ledger's two grants, each on the roles of the functions that need it: every function that
 * decides writes its decisions (never into the e-mails' partition) and puts them on the one bus;
 * every function that e-mails reads and writes the idempotency records, and only those.
 */
function ledgerPolicies(declarations: readonly FunctionDeclaration[], stack: StackContext) {
  const rolesOf = (uses: (declaration: FunctionDeclaration) => boolean) =>
    declarations.filter(uses).map((declaration) => ({ Ref: roleIdOf(declaration) }));
  const leadingKeys = { 'dynamodb:LeadingKeys': [EMAIL_IDEMPOTENCY_PARTITION] };
  return {
    LedgerRecordsPolicy: iamPolicy(
      'ledger-records',
      rolesOf((d) => d.recordsDecisions),
      [
        {
          Sid: 'RecordDecisions',
          Action: 'dynamodb:BatchWriteItem',
          Resource: getAtt(LEDGER_TABLE),
          Condition: { 'ForAllValues:StringNotEquals': leadingKeys },
        },
        {
          Sid: 'AnnounceDecisions',
          Action: 'events:PutEvents',
          Resource: {
            'Fn::Sub': `arn:\${AWS::Partition}:events:\${AWS::Region}:\${AWS::AccountId}:event-bus/${stack.ledger.events.busName}`,
          },
        },
      ],
    ),
    EmailIdempotencyPolicy: iamPolicy(
      'email-idempotency',
      rolesOf((d) => d.sendsEmails),
      [
        {
          Sid: 'SendEachEmailOnce',
          Action: [
            'dynamodb:GetItem',
            'dynamodb:PutItem',
            'dynamodb:UpdateItem',
            'dynamodb:DeleteItem',
          ],
          Resource: getAtt(LEDGER_TABLE),
          Condition: { 'ForAllValues:StringEquals': leadingKeys },
        },
      ],
    ),
  };
}

function iamPolicy(name: string, roles: unknown[], statements: PolicyStatement[]) {
  return {
    Type: 'AWS::IAM::Policy',
    Properties: {
      PolicyName: name,
      Roles: roles,
      PolicyDocument: policyDocument(statements.map(allowed)),
    },
  };
}

function allowed(statement: PolicyStatement) {
  const { Sid, ...rest } = statement;
  return { Sid, Effect: 'Allow', ...rest };
}

function policyDocument(statements: readonly unknown[]) {
  return { Version: '2012-10-17', Statement: statements };
}
