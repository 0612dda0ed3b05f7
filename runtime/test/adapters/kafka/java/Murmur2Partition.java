// Ground truth for key partitioning: the Java client's own default partitioner hash.
// Usage: java -cp '.cache/kafka/libs/*' Murmur2Partition.java <partitions> <key>...  → "<key>\t<partition>" lines.
import org.apache.kafka.common.utils.Utils;
import java.nio.charset.StandardCharsets;

public class Murmur2Partition {
  public static void main(String[] args) {
    int partitions = Integer.parseInt(args[0]);
    for (int i = 1; i < args.length; i++) {
      byte[] key = args[i].getBytes(StandardCharsets.UTF_8);
      System.out.println(args[i] + "\t" + Utils.toPositive(Utils.murmur2(key)) % partitions);
    }
  }
}
