// A partition assigner that honours each member's own subscription. hypc lets one group name be used by
// subscriptions on different topics (a consumer and a pub/sub subscriber sharing "analytics-processor").
// kafkajs's RoundRobinAssigner hands the LEADER's topics to every member, so topics only another member
// subscribed to are assigned to nobody (their messages are never consumed) and members get topics they do not
// read ("Consumer group received unsubscribed topics"). Here every topic any member subscribed to is
// assigned, round robin, among exactly the members that subscribed to it (as Java's assignors do).
import kafkajs from "kafkajs";
import type { PartitionAssigner } from "kafkajs";

const { AssignerProtocol } = kafkajs;
const NAME = "HypcSubscriptionRoundRobin";
const VERSION = 1;

export const subscriptionAwareAssigner: PartitionAssigner = ({ cluster }) => ({
  name: NAME,
  version: VERSION,
  async assign({ members }) {
    const subscribers = new Map<string, string[]>();
    for (const member of members) {
      const metadata = AssignerProtocol.MemberMetadata.decode(member.memberMetadata);
      for (const topic of metadata?.topics ?? []) {
        const list = subscribers.get(topic) ?? [];
        list.push(member.memberId);
        subscribers.set(topic, list);
      }
    }
    const topics = [...subscribers.keys()].sort();
    // The leader knows partition counts only of its own topics: fetch the others' too.
    await cluster.addMultipleTargetTopics(topics);
    const assignment = new Map<string, Record<string, number[]>>(members.map((m) => [m.memberId, {}]));
    let turn = 0; // continues across topics, so single-partition topics do not all land on the same member
    for (const topic of topics) {
      const ids = [...subscribers.get(topic)!].sort();
      const partitions = cluster.findTopicPartitionMetadata(topic).map((p) => p.partitionId).sort((a, b) => a - b);
      for (const partition of partitions) {
        const memberId = ids[turn++ % ids.length]!;
        const mine = assignment.get(memberId)!;
        (mine[topic] ??= []).push(partition);
      }
    }
    return [...assignment].map(([memberId, topicPartitions]) => ({
      memberId,
      memberAssignment: AssignerProtocol.MemberAssignment.encode({ version: VERSION, assignment: topicPartitions, userData: Buffer.alloc(0) }),
    }));
  },
  protocol({ topics }) {
    return { name: NAME, metadata: AssignerProtocol.MemberMetadata.encode({ version: VERSION, topics, userData: Buffer.alloc(0) }) };
  },
});
