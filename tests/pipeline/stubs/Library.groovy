// Stands in for Jenkins's @Library so groovyc can compile a consuming Jenkinsfile outside Jenkins.
import java.lang.annotation.ElementType
import java.lang.annotation.Target

@Target([ElementType.LOCAL_VARIABLE, ElementType.FIELD, ElementType.TYPE, ElementType.METHOD, ElementType.PARAMETER])
@interface Library {
    String[] value()
}
